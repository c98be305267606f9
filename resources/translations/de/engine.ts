<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>Invite to an event (suggested)</source>
        <translation>Zu einer Veranstaltung einladen (Vorschlag)</translation>
    </message>
    <message>
        <source>Medical follow-up (suggested)</source>
        <translation>Medizinische Nachbetreuung (Vorschlag)</translation>
    </message>
    <message>
        <source>Remote call (suggested)</source>
        <translation>Ferngespräch (Vorschlag)</translation>
    </message>
    <message>
        <source>Say why the suggestion does not fit.</source>
        <translation>Sagen Sie, warum der Vorschlag nicht passt.</translation>
    </message>
    <message>
        <source>Send an e-mail (suggested)</source>
        <translation>E-Mail senden (Vorschlag)</translation>
    </message>
    <message>
        <source>This suggestion no longer exists.</source>
        <translation>Diesen Vorschlag gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>This suggestion was already answered.</source>
        <translation>Dieser Vorschlag wurde schon beantwortet.</translation>
    </message>
    <message>
        <source>Visit (suggested)</source>
        <translation>Besuch (Vorschlag)</translation>
    </message>
    <message>
        <source>&amp;Control groups</source>
        <translation>Kontroll&amp;gruppen</translation>
    </message>
    <message>
        <source>No calls planned. Accept a suggestion, or find a doctor under Accounts (Ctrl+2) and log a call (Ctrl+N).</source>
        <translation>Keine Besuche geplant. Nehmen Sie einen Vorschlag an oder suchen Sie eine Ärztin oder einen Arzt unter Konten (Strg+2) und erfassen Sie einen Besuch (Strg+N).</translation>
    </message>
    <message>
        <source>No suggestions for today.</source>
        <translation>Heute keine Vorschläge.</translation>
    </message>
    <message>
        <source>Preparing suggestions…</source>
        <translation>Vorschläge werden vorbereitet …</translation>
    </message>
    <message>
        <source>Prioritised by potential, expected response and time since the last contact.</source>
        <translation>Priorisiert nach Potenzial, erwarteter Resonanz und Zeit seit dem letzten Kontakt.</translation>
    </message>
    <message>
        <source>Suggested for today</source>
        <translation>Vorschläge für heute</translation>
    </message>
    <message>
        <source>Suggestions could not be prepared: {error}</source>
        <translation>Vorschläge konnten nicht vorbereitet werden: {error}</translation>
    </message>
    <message>
        <source>Accept a step to plan it for its owner, or dismiss it with a reason.</source>
        <translation>Nehmen Sie einen Schritt an, um ihn für die zuständige Person einzuplanen, oder lehnen Sie ihn mit Begründung ab.</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <source>Accepted: planned for its owner.</source>
        <translation>Angenommen: für die zuständige Person eingeplant.</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Wird verglichen …</translation>
    </message>
    <message>
        <source>Control group</source>
        <translation>Kontrollgruppe</translation>
    </message>
    <message>
        <source>Control groups</source>
        <translation>Kontrollgruppen</translation>
    </message>
    <message>
        <source>Difference (95 % interval)</source>
        <translation>Unterschied (95-%-Intervall)</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Dismissed.</source>
        <translation>Abgelehnt.</translation>
    </message>
    <message>
        <source>Do the suggestions work?</source>
        <translation>Wirken die Vorschläge?</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Event invitation</source>
        <translation>Einladung zur Veranstaltung</translation>
    </message>
    <message>
        <source>Last 90 days. {treated} accounts get suggestions, {control} are held out at random as the control group.</source>
        <translation>Letzte 90 Tage. {treated} Konten erhalten Vorschläge, {control} sind zufällig als Kontrollgruppe ausgenommen.</translation>
    </message>
    <message>
        <source>Looking for next steps…</source>
        <translation>Nächste Schritte werden gesucht …</translation>
    </message>
    <message>
        <source>Marked as done.</source>
        <translation>Als erledigt markiert.</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>Kennzahl</translation>
    </message>
    <message>
        <source>Medical follow-up (MSL)</source>
        <translation>Medizinische Nachbetreuung (MSL)</translation>
    </message>
    <message>
        <source>No further steps proposed for this call.</source>
        <translation>Für diesen Besuch werden keine weiteren Schritte vorgeschlagen.</translation>
    </message>
    <message>
        <source>Positive reactions</source>
        <translation>Positive Reaktionen</translation>
    </message>
    <message>
        <source>Proposed next steps</source>
        <translation>Vorgeschlagene nächste Schritte</translation>
    </message>
    <message>
        <source>Reach (accounts contacted)</source>
        <translation>Reichweite (kontaktierte Konten)</translation>
    </message>
    <message>
        <source>Reason for dismissing</source>
        <translation>Grund der Ablehnung</translation>
    </message>
    <message>
        <source>Remote call</source>
        <translation>Ferngespräch</translation>
    </message>
    <message>
        <source>Response (contacts answered)</source>
        <translation>Resonanz (beantwortete Kontakte)</translation>
    </message>
    <message>
        <source>Suggested step</source>
        <translation>Vorgeschlagener Schritt</translation>
    </message>
    <message>
        <source>Suggestions</source>
        <translation>Vorschläge</translation>
    </message>
    <message>
        <source>The interval excludes zero: the difference is unlikely to be chance.</source>
        <translation>Das Intervall schließt null aus: Der Unterschied ist kaum Zufall.</translation>
    </message>
    <message>
        <source>Why does it not fit? (needed to dismiss)</source>
        <translation>Warum passt es nicht? (zum Ablehnen nötig)</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>With suggestions</source>
        <translation>Mit Vorschlägen</translation>
    </message>
    <message>
        <source>digitally affine</source>
        <translation>digital affin</translation>
    </message>
    <message>
        <source>dosing</source>
        <translation>Dosierung</translation>
    </message>
    <message>
        <source>efficacy</source>
        <translation>Wirksamkeit</translation>
    </message>
    <message>
        <source>evidence-driven</source>
        <translation>evidenzorientiert</translation>
    </message>
    <message>
        <source>patient support</source>
        <translation>Patientenunterstützung</translation>
    </message>
    <message>
        <source>pragmatic</source>
        <translation>pragmatisch</translation>
    </message>
    <message>
        <source>safety</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>study data</source>
        <translation>Studiendaten</translation>
    </message>
    <message>
        <source>{difference} points ({low} to {high})</source>
        <translation>{difference} Punkte ({low} bis {high})</translation>
    </message>
    <message>
        <source>Potential {percent} %</source>
        <translation>Potenzial {percent} %</translation>
    </message>
    <message>
        <source>Prefers {channel} ({percent} % expected)</source>
        <translation>Bevorzugt {channel} ({percent} % erwartet)</translation>
    </message>
    <message>
        <source>Responds best to {channel} ({percent} % expected)</source>
        <translation>Reagiert am besten auf {channel} ({percent} % erwartet)</translation>
    </message>
    <message>
        <source>Never contacted</source>
        <translation>Noch nie kontaktiert</translation>
    </message>
    <message>
        <source>No contact for {days} days</source>
        <translation>Seit {days} Tagen kein Kontakt</translation>
    </message>
    <message>
        <source>Behaves like the {persona} persona</source>
        <translation>Verhält sich wie die Persona „{persona}“</translation>
    </message>
    <message>
        <source>Contacted {count} times in 30 days (cap {cap})</source>
        <translation>In 30 Tagen {count}-mal kontaktiert (Obergrenze {cap})</translation>
    </message>
    <message>
        <source>Carries “{title}”</source>
        <translation>Mit „{title}“</translation>
    </message>
    <message>
        <source>Reacted positively to {topic} {count} of {total} times</source>
        <translation>Reagierte {count} von {total} Malen positiv auf {topic}</translation>
    </message>
    <message>
        <source>Reacted negatively to {topic} {count} of {total} times</source>
        <translation>Reagierte {count} von {total} Malen negativ auf {topic}</translation>
    </message>
    <message>
        <source>Responded to {count} of {total} contacts by {channel}</source>
        <translation>Reagierte auf {count} von {total} Kontakten per {channel}</translation>
    </message>
    <message>
        <source>{channel} contacts last {minutes} min (territory: {average} min)</source>
        <translation>{channel}: Kontakte dauern {minutes} Min. (Gebiet: {average} Min.)</translation>
    </message>
    <message>
        <source>States {channel} as a preferred channel</source>
        <translation>Nennt {channel} als bevorzugten Kanal</translation>
    </message>
    <message>
        <source>{count} of {total} contacts by {channel}</source>
        <translation>{count} von {total} Kontakten per {channel}</translation>
    </message>
    <message>
        <source>Lingers on {topic} slides</source>
        <translation>Verweilt auf Folien zu {topic}</translation>
    </message>
    <message>
        <source>Values personal contact: follow up the seminar in a visit</source>
        <translation>Legt Wert auf persönlichen Kontakt: das Seminar im Besuch nachbereiten</translation>
    </message>
    <message>
        <source>Evidence-driven: send the study discussed at the seminar</source>
        <translation>Evidenzorientiert: die im Seminar besprochene Studie senden</translation>
    </message>
    <message>
        <source>Evidence-driven: follow the seminar up with the study</source>
        <translation>Evidenzorientiert: das Seminar mit der Studie nachbereiten</translation>
    </message>
    <message>
        <source>Digitally affine: send the seminar material by e-mail</source>
        <translation>Digital affin: die Seminarunterlagen per E-Mail senden</translation>
    </message>
    <message>
        <source>Raised safety concerns: a medical follow-up by the MSL</source>
        <translation>Hat Sicherheitsbedenken geäußert: medizinische Nachbetreuung durch den MSL</translation>
    </message>
    <message>
        <source>Showed interest in the study data: send the publication</source>
        <translation>Interesse an den Studiendaten: die Publikation senden</translation>
    </message>
    <message>
        <source>Answered a question in the e-detail: follow up remotely</source>
        <translation>Hat eine Frage im E-Detail beantwortet: per Telefon oder Video nachfassen</translation>
    </message>
    <message>
        <source>Followed a link in the e-mail: talk it through at a visit</source>
        <translation>Ist einem Link der E-Mail gefolgt: bei einem Besuch darüber sprechen</translation>
    </message>
    <message>
        <source>Opened the e-mail: offer a short remote call</source>
        <translation>Hat die E-Mail geöffnet: ein kurzes Telefon- oder Videogespräch anbieten</translation>
    </message>
    <message>
        <source>Medical question answered: close the loop in a visit</source>
        <translation>Medizinische Frage beantwortet: im Besuch abschließen</translation>
    </message>
    <message>
        <source>High potential, no contact for six weeks</source>
        <translation>Hohes Potenzial, seit sechs Wochen kein Kontakt</translation>
    </message>
    <message>
        <source>Evidence journey: the study by e-mail</source>
        <translation>Evidenz-Pfad: die Studie per E-Mail</translation>
    </message>
    <message>
        <source>Evidence journey: read the study, a medical discussion with the MSL</source>
        <translation>Evidenz-Pfad: Studie gelesen, ein medizinisches Gespräch mit dem MSL</translation>
    </message>
    <message>
        <source>Evidence journey: the e-mail was not opened, bring the study's summary</source>
        <translation>Evidenz-Pfad: E-Mail nicht geöffnet, die Zusammenfassung der Studie mitbringen</translation>
    </message>
    <message>
        <source>Persona</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Too little behaviour yet to tell.</source>
        <translation>Noch zu wenig Verhalten, um es zu sagen.</translation>
    </message>
    <message>
        <source>Looks for study data and evidence</source>
        <translation>Sucht Studiendaten und Evidenz</translation>
    </message>
    <message>
        <source>Wants short, practical contacts</source>
        <translation>Möchte kurze, praktische Kontakte</translation>
    </message>
    <message>
        <source>Likes digital contact</source>
        <translation>Mag digitalen Kontakt</translation>
    </message>
    <message>
        <source>a first impression</source>
        <translation>ein erster Eindruck</translation>
    </message>
    <message>
        <source>likely, from the contacts so far</source>
        <translation>wahrscheinlich, nach den bisherigen Kontakten</translation>
    </message>
    <message>
        <source>a clear pattern in the contacts so far</source>
        <translation>ein deutliches Muster in den bisherigen Kontakten</translation>
    </message>
    <message>
        <source>{kind} ({certainty})</source>
        <translation>{kind} ({certainty})</translation>
    </message>
    <message>
        <source>Responds well to {channel} ({percent} % expected)</source>
        <translation>Reagiert gut auf {channel} ({percent} % erwartet)</translation>
    </message>
    <message>
        <source>A manager reads suggestions; their owners accept or dismiss them.</source>
        <translation>Führungskräfte lesen Vorschläge; annehmen oder ablehnen können sie nur die Zuständigen.</translation>
    </message>
    <message>
        <source>This step is for the rep: an MSL answers only the steps meant for medical.</source>
        <translation>Dieser Schritt ist für den Außendienst: Ein MSL beantwortet nur Schritte für die Medizin.</translation>
    </message>
    <message>
        <source>barely responsive</source>
        <translation>kaum erreichbar</translation>
    </message>
    <message>
        <source>Barely responds to any contact</source>
        <translation>Reagiert kaum auf Kontakte, gleich auf welchem Weg</translation>
    </message>
    <message>
        <source>States {stated}, but answers {channel} ({percent} % expected)</source>
        <translation>Gibt {stated} an, reagiert aber auf {channel} ({percent} % erwartet)</translation>
    </message>
    <message>
        <source>Did not receive the rep at {count} visits</source>
        <translation>Hat den Außendienst bei {count} Besuchen nicht empfangen</translation>
    </message>
    <message>
        <source>Did not receive the last {count} visits: try {channel}</source>
        <translation>Hat die letzten {count} Besuche nicht empfangen: besser per {channel}</translation>
    </message>
    <message>
        <source>Answers less after {cap} contacts in 30 days (learned)</source>
        <translation>Reagiert nach {cap} Kontakten in 30 Tagen schwächer (gelernt)</translation>
    </message>
    <message>
        <source>Answered {count} of {total} contacts</source>
        <translation>Hat auf {count} von {total} Kontakten reagiert</translation>
    </message>
    <message>
        <source>{interval}, not yet significant</source>
        <translation>{interval}, noch nicht signifikant</translation>
    </message>
    <message>
        <source>The interval includes zero: the difference may still be chance. It narrows as more contacts are recorded.</source>
        <translation>Das Intervall schließt null ein: Der Unterschied kann noch Zufall sein. Es wird mit jedem erfassten Kontakt enger.</translation>
    </message>
    <message>
        <source>No difference is significant yet: it cannot be told from chance so far.</source>
        <translation>Noch kein Unterschied ist signifikant: Er lässt sich bisher nicht vom Zufall unterscheiden.</translation>
    </message>
</context>
</TS>
