<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>Open an account or a call report to escalate a medical question.</source>
        <translation>Öffnen Sie einen Kunden oder einen Besuchsbericht, um eine medizinische Frage weiterzugeben.</translation>
    </message>
    <message>
        <source>&amp;Present to this doctor</source>
        <translation>Diesem Arzt &amp;präsentieren</translation>
    </message>
    <message>
        <source>&amp;Whom are you presenting to?</source>
        <translation>&amp;Wem präsentieren Sie?</translation>
    </message>
    <message>
        <source>Present &amp;anonymously, not tied to a doctor</source>
        <translation>Anony&amp;m präsentieren, ohne Bezug zu einem Arzt</translation>
    </message>
    <message>
        <source>Recorded anonymously, not tied to a doctor</source>
        <translation>Anonym erfasst, ohne Bezug zu einem Arzt</translation>
    </message>
    <message>
        <source>Recorded anonymously: {name} has not agreed to tracking</source>
        <translation>Anonym erfasst: {name} hat dem Tracking nicht zugestimmt</translation>
    </message>
    <message>
        <source>Recorded with {name}'s name</source>
        <translation>Erfasst mit dem Namen von {name}</translation>
    </message>
    <message>
        <source>With a doctor, the call report opens with what was shown once you end the presentation.</source>
        <translation>Mit einem Arzt öffnet sich nach dem Ende der Präsentation der Besuchsbericht mit dem Gezeigten.</translation>
    </message>
    <message>
        <source>{name} was never asked whether e-details may be recorded with their name (slides seen, reactions, answers). Please ask now: does the doctor agree?</source>
        <translation>{name} wurde nie gefragt, ob E-Details mit Namen erfasst werden dürfen (gesehene Folien, Reaktionen, Antworten). Bitte fragen Sie jetzt: Ist der Arzt einverstanden?</translation>
    </message>
    <message>
        <source>Presentation ended</source>
        <translation>Präsentation beendet</translation>
    </message>
    <message>
        <source>“{title}” was shown anonymously; {count} slides were seen. Nothing is tied to a doctor, so no call report follows. To log a visit, open the doctor and present from there.</source>
        <translation>„{title}“ wurde anonym gezeigt; {count} Folien wurden gesehen. Nichts ist einem Arzt zugeordnet, daher folgt kein Besuchsbericht. Um einen Besuch zu erfassen, öffnen Sie den Arzt und präsentieren Sie von dort.</translation>
    </message>
    <message>
        <source>Nothing of this showing is recorded with a doctor's name, and no call report follows.</source>
        <translation>Nichts von dieser Präsentation wird mit dem Namen eines Arztes erfasst, und es folgt kein Besuchsbericht.</translation>
    </message>
    <message>
        <source>&amp;Agrees: record with the name</source>
        <translation>&amp;Ja, einverstanden: mit Namen erfassen</translation>
    </message>
    <message>
        <source>&amp;Declines: record anonymously</source>
        <translation>&amp;Nein: anonym erfassen</translation>
    </message>
    <message>
        <source>The doctor's name, city or LANR</source>
        <translation>Name des Arztes, Ort oder LANR</translation>
    </message>
    <message>
        <source>The answer is kept as the doctor's consent to “E-detailing tracking”; it can be changed under Consent on the account.</source>
        <translation>Die Antwort wird als Einwilligung des Arztes in das „E-Detailing-Tracking“ gespeichert; sie lässt sich beim Kunden unter Einwilligung ändern.</translation>
    </message>
    <message>
        <source>Plan the visit: {name}</source>
        <translation>Besuch planen: {name}</translation>
    </message>
    <message>
        <source>&amp;Accept</source>
        <translation>&amp;Annehmen</translation>
    </message>
    <message>
        <source>&amp;Plan the visit</source>
        <translation>Besuch &amp;planen</translation>
    </message>
    <message>
        <source>{name} already has a call planned for {when}. Accepting adds the suggestion to it; no second visit is planned.</source>
        <translation>Für {name} ist bereits ein Besuch am {when} geplant. Beim Annehmen wird der Vorschlag diesem zugeordnet; kein zweiter Besuch wird geplant.</translation>
    </message>
    <message>
        <source>Proposed: the next free working slot in your plan. Change it here if it does not suit.</source>
        <translation>Vorgeschlagen: der nächste freie Termin in Ihrer Arbeitszeit. Ändern Sie ihn hier, wenn er nicht passt.</translation>
    </message>
    <message>
        <source>&amp;When</source>
        <translation>&amp;Wann</translation>
    </message>
    <message>
        <source>C&amp;hannel</source>
        <translation>&amp;Kanal</translation>
    </message>
    <message>
        <source>the doctor's persona</source>
        <translation>die Persona des Arztes</translation>
    </message>
    <message>
        <source>the segment</source>
        <translation>das Segment</translation>
    </message>
    <message>
        <source>the specialty</source>
        <translation>die Fachrichtung</translation>
    </message>
    <message>
        <source>a consent to the channel</source>
        <translation>eine Einwilligung in den Kanal</translation>
    </message>
    <message>
        <source>the channel the doctor prefers</source>
        <translation>der bevorzugte Kanal des Arztes</translation>
    </message>
    <message>
        <source>the potential</source>
        <translation>das Potenzial</translation>
    </message>
    <message>
        <source>the time since the last contact</source>
        <translation>die Zeit seit dem letzten Kontakt</translation>
    </message>
    <message>
        <source>earlier positive reactions</source>
        <translation>frühere positive Reaktionen</translation>
    </message>
    <message>
        <source>earlier negative reactions</source>
        <translation>frühere negative Reaktionen</translation>
    </message>
    <message>
        <source>The call is not submitted yet: next steps follow its submission.</source>
        <translation>Der Besuch ist noch nicht abgeschlossen: Nächste Schritte folgen nach dem Abschließen.</translation>
    </message>
    <message>
        <source>This doctor is in the control group: for a tenth of the doctors no steps are proposed, so that the suggestions can be shown to work.</source>
        <translation>Dieser Arzt ist in der Kontrollgruppe: Für ein Zehntel der Ärzte werden keine Schritte vorgeschlagen, damit sich zeigen lässt, dass die Vorschläge wirken.</translation>
    </message>
    <message>
        <source>This doctor is not in the suggestions' data yet; after the next sync steps can be proposed.</source>
        <translation>Dieser Arzt ist noch nicht in den Daten der Vorschläge; nach der nächsten Synchronisierung können Schritte vorgeschlagen werden.</translation>
    </message>
    <message>
        <source>“{rule}” did not apply: {conditions} do not fit.</source>
        <translation>„{rule}“ griff nicht: {conditions} passen nicht.</translation>
    </message>
    <message>
        <source>“{rule}” applied, but a step of that kind is open for this doctor already, or more would exceed the contacts a month the doctor accepts.</source>
        <translation>„{rule}“ griff, aber für diesen Arzt ist ein solcher Schritt schon offen, oder mehr würde die Kontakte im Monat überschreiten, die der Arzt akzeptiert.</translation>
    </message>
    <message>
        <source>No rule of the rule set “{name}” reacts to such a call. Your manager can add one; a follow-up you noted stays in the call report.</source>
        <translation>Keine Regel des Regelwerks „{name}“ reagiert auf einen solchen Besuch. Ihre Führungskraft kann eine ergänzen; eine notierte Nachverfolgung bleibt im Besuchsbericht.</translation>
    </message>
    <message>
        <source>Quit Fieldrep?</source>
        <translation>Fieldrep beenden?</translation>
    </message>
    <message>
        <source>&amp;Quit, keep them for later</source>
        <translation>&amp;Beenden, für später aufheben</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>Jetzt &amp;synchronisieren</translation>
    </message>
    <message>
        <source>1 change</source>
        <translation>1 Änderung</translation>
    </message>
    <message>
        <source>{count} changes</source>
        <translation>{count} Änderungen</translation>
    </message>
    <message>
        <source>Not sent to the server yet: {changes}. They are kept on this laptop and sent with the next sync, also after Fieldrep is started again.</source>
        <translation>Noch nicht an den Server gesendet: {changes}. Sie bleiben auf diesem Laptop gespeichert und werden mit der nächsten Synchronisierung gesendet, auch nach einem Neustart von Fieldrep.</translation>
    </message>
    <message>
        <source>Save the report now</source>
        <translation>Bericht jetzt speichern</translation>
    </message>
    <message>
        <source>Submit the call</source>
        <translation>Besuch abschließen</translation>
    </message>
    <message>
        <source>Save and close the report</source>
        <translation>Bericht speichern und schließen</translation>
    </message>
    <message>
        <source>Next slide (also Space, Page Down)</source>
        <translation>Nächste Folie (auch Leertaste, Bild ab)</translation>
    </message>
    <message>
        <source>Previous slide (also Page Up)</source>
        <translation>Vorige Folie (auch Bild auf)</translation>
    </message>
    <message>
        <source>The doctor's reaction: positive</source>
        <translation>Reaktion des Arztes: positiv</translation>
    </message>
    <message>
        <source>The doctor's reaction: neutral</source>
        <translation>Reaktion des Arztes: neutral</translation>
    </message>
    <message>
        <source>The doctor's reaction: negative</source>
        <translation>Reaktion des Arztes: negativ</translation>
    </message>
    <message>
        <source>The doctor asked for more</source>
        <translation>Der Arzt wollte mehr wissen</translation>
    </message>
    <message>
        <source>Show or hide the controls</source>
        <translation>Bedienleiste ein- oder ausblenden</translation>
    </message>
    <message>
        <source>End the presentation</source>
        <translation>Präsentation beenden</translation>
    </message>
    <message>
        <source>Dismiss the selected conflict or refused change</source>
        <translation>Ausgewählten Konflikt oder abgelehnte Änderung ausblenden</translation>
    </message>
    <message>
        <source>Everywhere</source>
        <translation>Überall</translation>
    </message>
    <message>
        <source>In a call report</source>
        <translation>Im Besuchsbericht</translation>
    </message>
    <message>
        <source>While presenting</source>
        <translation>Beim Präsentieren</translation>
    </message>
    <message>
        <source>In the sync conflicts</source>
        <translation>In den Synchronisierungskonflikten</translation>
    </message>
    <message>
        <source>{action} · {due} · {owner}</source>
        <translation>{action} · {due} · {owner}</translation>
    </message>
    <message>
        <source>Engagement plan</source>
        <translation>Betreuungsplan</translation>
    </message>
    <message>
        <source>No step is open: the plan has run its course.</source>
        <translation>Kein Schritt offen: Der Plan ist durchlaufen.</translation>
    </message>
    <message>
        <source>Done: {step}</source>
        <translation>Erledigt: {step}</translation>
    </message>
    <message>
        <source>Next: {step}</source>
        <translation>Als Nächstes: {step}</translation>
    </message>
    <message>
        <source>LANR / BSNR</source>
        <translation>LANR / BSNR</translation>
    </message>
    <message>
        <source>Back to {name} (Alt+Left)</source>
        <translation>Zurück zu {name} (Alt+Links)</translation>
    </message>
    <message>
        <source>You have visits planned in {city} today.</source>
        <translation>Sie haben heute Besuche in {city} geplant.</translation>
    </message>
    <message>
        <source>Sign &amp;out / switch user…</source>
        <translation>Ab&amp;melden / Benutzer wechseln…</translation>
    </message>
    <message>
        <source>The language and the colours change at once.</source>
        <translation>Sprache und Farben ändern sich sofort.</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Anmelden…</translation>
    </message>
    <message>
        <source>Sign in to the server to sync (F5)</source>
        <translation>Am Server anmelden, um zu synchronisieren (F5)</translation>
    </message>
</context>
</TS>
