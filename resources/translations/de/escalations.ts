<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>{n} h</source>
        <translation>{n} Std.</translation>
    </message>
    <message>
        <source>{n} d</source>
        <translation>{n} T.</translation>
    </message>
    <message>
        <source>Write down the doctor's question in the doctor's words.</source>
        <translation>Schreiben Sie die Frage des Arztes in seinen eigenen Worten auf.</translation>
    </message>
    <message>
        <source>Choose the product the question is about.</source>
        <translation>Wählen Sie das Produkt, um das es in der Frage geht.</translation>
    </message>
    <message>
        <source>Medical may only contact the doctor with consent: ask the doctor and tick the box.</source>
        <translation>Medical darf den Arzt nur mit Einwilligung kontaktieren: Fragen Sie den Arzt und setzen Sie den Haken.</translation>
    </message>
    <message>
        <source>The medical inquiry is not on this laptop.</source>
        <translation>Die medizinische Anfrage ist nicht auf diesem Laptop.</translation>
    </message>
    <message>
        <source>This medical inquiry is assigned to another MSL.</source>
        <translation>Diese medizinische Anfrage ist einem anderen MSL zugewiesen.</translation>
    </message>
    <message>
        <source>Not possible while the inquiry is {status}.</source>
        <translation>Nicht möglich, solange die Anfrage „{status}“ ist.</translation>
    </message>
    <message>
        <source>Write down the answer given to the doctor.</source>
        <translation>Schreiben Sie die Antwort an den Arzt auf.</translation>
    </message>
    <message>
        <source>The question is longer than {n} characters.</source>
        <translation>Die Frage ist länger als {n} Zeichen.</translation>
    </message>
    <message>
        <source>This product may not be detailed to this account: medical inquiries are raised for the account's own products.</source>
        <translation>Dieses Produkt darf bei diesem Kunden nicht besprochen werden: Medizinische Anfragen gelten den Produkten des Kunden.</translation>
    </message>
    <message>
        <source>The call report belongs to another account.</source>
        <translation>Der Besuchsbericht gehört zu einem anderen Kunden.</translation>
    </message>
    <message>
        <source>Write a note for the rep: what happens next.</source>
        <translation>Schreiben Sie eine Notiz für den Außendienst: Wie geht es weiter?</translation>
    </message>
    <message>
        <source>waiting for sync</source>
        <translation>wartet auf Synchronisierung</translation>
    </message>
    <message>
        <source>with medical</source>
        <translation>bei Medical</translation>
    </message>
    <message>
        <source>in the medical queue</source>
        <translation>in der Medical-Warteschlange</translation>
    </message>
    <message>
        <source>taken over by medical</source>
        <translation>von Medical übernommen</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>beantwortet</translation>
    </message>
    <message>
        <source>handed back</source>
        <translation>zurückgegeben</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>standard</source>
        <translation>normal</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>dringend</translation>
    </message>
    <message>
        <source>visit</source>
        <translation>Besuch</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>letter</source>
        <translation>Brief</translation>
    </message>
    <message>
        <source>raised</source>
        <translation>gestellt</translation>
    </message>
    <message>
        <source>routed</source>
        <translation>zugewiesen</translation>
    </message>
    <message>
        <source>put in the queue</source>
        <translation>in die Warteschlange gestellt</translation>
    </message>
    <message>
        <source>taken over</source>
        <translation>übernommen</translation>
    </message>
    <message>
        <source>reassigned</source>
        <translation>neu zugewiesen</translation>
    </message>
    <message>
        <source>rerouted</source>
        <translation>umgeleitet</translation>
    </message>
    <message>
        <source>Medical inquiry answered</source>
        <translation>Medizinische Anfrage beantwortet</translation>
    </message>
    <message>
        <source>Escalate a medical question</source>
        <translation>Medizinische Frage weitergeben</translation>
    </message>
    <message>
        <source>The doctor asked something only medical may answer. Medical gets it with the next sync; you will see when it is answered, not what was answered.</source>
        <translation>Der Arzt hat etwas gefragt, das nur Medical beantworten darf. Medical erhält die Frage mit der nächsten Synchronisierung; Sie sehen, wann sie beantwortet wurde, nicht was.</translation>
    </message>
    <message>
        <source>The question in the doctor's own words</source>
        <translation>Die Frage in den Worten des Arztes</translation>
    </message>
    <message>
        <source>The doctor agrees to be contacted by medical</source>
        <translation>Der Arzt ist mit einer Kontaktaufnahme durch Medical einverstanden</translation>
    </message>
    <message>
        <source>Unsolicited: the doctor asked without prompting</source>
        <translation>Unaufgefordert: Der Arzt hat von sich aus gefragt</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Frage</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>Dringlichkeit</translation>
    </message>
    <message>
        <source>Answer by</source>
        <translation>Antwort per</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>Weitergeben</translation>
    </message>
    <message>
        <source>Escalate a medical question: {name}</source>
        <translation>Medizinische Frage weitergeben: {name}</translation>
    </message>
    <message>
        <source>Choose a product…</source>
        <translation>Produkt wählen …</translation>
    </message>
    <message>
        <source>{status} ({who})</source>
        <translation>{status} ({who})</translation>
    </message>
    <message>
        <source>Answered on {date}</source>
        <translation>Beantwortet am {date}</translation>
    </message>
    <message>
        <source>Note from medical: {note}</source>
        <translation>Notiz von Medical: {note}</translation>
    </message>
    <message>
        <source>Medical inquiries</source>
        <translation>Medizinische Anfragen</translation>
    </message>
    <message>
        <source>No medical questions escalated.</source>
        <translation>Keine medizinischen Fragen weitergegeben.</translation>
    </message>
    <message>
        <source>Escalate a medical question…</source>
        <translation>Medizinische Frage weitergeben …</translation>
    </message>
    <message>
        <source>A question only medical may answer: an MSL takes it over and tells you when it is answered</source>
        <translation>Eine Frage, die nur Medical beantworten darf: Ein MSL übernimmt sie und sagt Ihnen, wann sie beantwortet ist</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Beantwortet</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Any urgency</source>
        <translation>Jede Dringlichkeit</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>Nur überfällige</translation>
    </message>
    <message>
        <source>No inquiries here. New ones arrive with a sync.</source>
        <translation>Hier sind keine Anfragen. Neue kommen mit der Synchronisierung.</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <source>Record answer…</source>
        <translation>Antwort erfassen …</translation>
    </message>
    <message>
        <source>Hand back…</source>
        <translation>Zurückgeben …</translation>
    </message>
    <message>
        <source>Open account</source>
        <translation>Kunden öffnen</translation>
    </message>
    <message>
        <source>Inquiry</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Account history</source>
        <translation>Kundenhistorie</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>{open} waiting for an answer, {overdue} overdue</source>
        <translation>{open} warten auf Antwort, {overdue} überfällig</translation>
    </message>
    <message>
        <source>Team escalations</source>
        <translation>Weitergaben des Teams</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Raised by</source>
        <translation>Gestellt von</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Zeigen</translation>
    </message>
    <message>
        <source>overdue since {due}</source>
        <translation>überfällig seit {due}</translation>
    </message>
    <message>
        <source>{when}: {what} by {who}</source>
        <translation>{when}: {what} von {who}</translation>
    </message>
    <message>
        <source>Answer ({channel}, {when}): {answer}</source>
        <translation>Antwort ({channel}, {when}): {answer}</translation>
    </message>
    <message>
        <source>raised by {who}, {when}</source>
        <translation>gestellt von {who}, {when}</translation>
    </message>
    <message>
        <source>answer by {channel}</source>
        <translation>Antwort per {channel}</translation>
    </message>
    <message>
        <source>consent to be contacted</source>
        <translation>Einwilligung zur Kontaktaufnahme</translation>
    </message>
    <message>
        <source>unsolicited</source>
        <translation>unaufgefordert</translation>
    </message>
    <message>
        <source>solicited</source>
        <translation>aufgefordert</translation>
    </message>
    <message>
        <source>assigned to {who}</source>
        <translation>zugewiesen an {who}</translation>
    </message>
    <message>
        <source>the server</source>
        <translation>den Server</translation>
    </message>
    <message>
        <source>Record the answer</source>
        <translation>Antwort erfassen</translation>
    </message>
    <message>
        <source>The answer given to the doctor</source>
        <translation>Die Antwort an den Arzt</translation>
    </message>
    <message>
        <source>Medical notes (stay with medical)</source>
        <translation>Medizinische Notizen (bleiben bei Medical)</translation>
    </message>
    <message>
        <source>Record the visit or call in the account's history</source>
        <translation>Besuch oder Anruf in der Kundenhistorie festhalten</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Medical notes</source>
        <translation>Medizinische Notizen</translation>
    </message>
    <message>
        <source>Answered by</source>
        <translation>Beantwortet per</translation>
    </message>
    <message>
        <source>Hand back to the rep</source>
        <translation>An den Außendienst zurückgeben</translation>
    </message>
    <message>
        <source>What happens next, for the rep (no medical content)</source>
        <translation>Wie es weitergeht, für den Außendienst (ohne medizinische Inhalte)</translation>
    </message>
    <message>
        <source>The answer and your notes are never sent to a rep's or a manager's laptop.</source>
        <translation>Die Antwort und Ihre Notizen werden nie an den Laptop eines Außendienstmitarbeiters oder Managers gesendet.</translation>
    </message>
    <message>
        <source>New medical inquiries: {n}</source>
        <translation>Neue medizinische Anfragen: {n}</translation>
    </message>
    <message>
        <source>Medical inquiries changed: {n}</source>
        <translation>Medizinische Anfragen geändert: {n}</translation>
    </message>
    <message>
        <source>{account}: {status}</source>
        <translation>{account}: {status}</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>Schreibtisch</translation>
    </message>
    <message>
        <source>The team's escalations (Ctrl+4)</source>
        <translation>Weitergaben des Teams (Strg+4)</translation>
    </message>
    <message>
        <source>Medical inquiries (Ctrl+4)</source>
        <translation>Medizinische Anfragen (Strg+4)</translation>
    </message>
    <message>
        <source>&amp;Escalate a medical question…</source>
        <translation>Medizinische Frage &amp;weitergeben …</translation>
    </message>
    <message>
        <source>&amp;Team</source>
        <translation>&amp;Team</translation>
    </message>
    <message>
        <source>&amp;Medical</source>
        <translation>&amp;Medical</translation>
    </message>
    <message>
        <source>&amp;Take over</source>
        <translation>Ü&amp;bernehmen</translation>
    </message>
    <message>
        <source>Record &amp;answer…</source>
        <translation>&amp;Antwort erfassen …</translation>
    </message>
    <message>
        <source>&amp;Hand back…</source>
        <translation>&amp;Zurückgeben …</translation>
    </message>
    <message>
        <source>&amp;Close the inquiry</source>
        <translation>Anfrage ab&amp;schließen</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>Neu zuweisen …</translation>
    </message>
    <message>
        <source>Reassign the inquiry</source>
        <translation>Anfrage neu zuweisen</translation>
    </message>
    <message>
        <source>Back to the queue</source>
        <translation>Zurück in die Warteschlange</translation>
    </message>
    <message>
        <source>Reassigning is done on the server: it needs a connection.</source>
        <translation>Neu zugewiesen wird auf dem Server: Dafür ist eine Verbindung nötig.</translation>
    </message>
    <message>
        <source>Reassigning needs the server: set it up with File › Sync now.</source>
        <translation>Zum Neuzuweisen wird der Server gebraucht: Richten Sie ihn mit Datei › Synchronisieren ein.</translation>
    </message>
    <message>
        <source>The inquiry was not reassigned: {reason}</source>
        <translation>Die Anfrage wurde nicht neu zugewiesen: {reason}</translation>
    </message>
    <message>
        <source>not accepted by the server: {reason}</source>
        <translation>vom Server nicht angenommen: {reason}</translation>
    </message>
    <message>
        <source>Enter or Ctrl+Return</source>
        <translation>Eingabetaste oder Strg+Eingabe</translation>
    </message>
    <message>
        <source>overdue by {age}</source>
        <translation>seit {age} überfällig</translation>
    </message>
    <message>
        <source>in {age}</source>
        <translation>in {age}</translation>
    </message>
    <message>
        <source>Standard urgency</source>
        <translation>Normale Dringlichkeit</translation>
    </message>
    <message>
        <source>High urgency</source>
        <translation>Hohe Dringlichkeit</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Dringend</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>Brief</translation>
    </message>
    <message>
        <source>answer: {channel}</source>
        <translation>Antwort: {channel}</translation>
    </message>
</context>
</TS>
