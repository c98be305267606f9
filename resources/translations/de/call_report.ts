<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>Su&amp;bmit</source>
        <translation>&amp;Einreichen</translation>
    </message>
    <message>
        <source>Check and lock the call (Ctrl+Return)</source>
        <translation>Bericht prüfen und abschließen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Save and close (Esc)</source>
        <translation>Speichern und schließen (Esc)</translation>
    </message>
    <message>
        <source>Drafts are saved as you type; Ctrl+S saves now.</source>
        <translation>Entwürfe werden beim Tippen gespeichert; Strg+S speichert sofort.</translation>
    </message>
    <message>
        <source>Call report: {name}</source>
        <translation>Kontaktbericht: {name}</translation>
    </message>
    <message>
        <source>Submitted and locked on {date}</source>
        <translation>Eingereicht und gesperrt am {date}</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>Draft saved {time}</source>
        <translation>Entwurf gespeichert {time}</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Nicht gespeichert: {reason}</translation>
    </message>
    <message>
        <source>Submitting…</source>
        <translation>Wird eingereicht…</translation>
    </message>
    <message>
        <source>Not submitted</source>
        <translation>Nicht eingereicht</translation>
    </message>
    <message>
        <source>This call cannot be submitted yet:</source>
        <translation>Dieser Bericht kann noch nicht eingereicht werden:</translation>
    </message>
    <message>
        <source>The account does not exist on this laptop.</source>
        <translation>Das Konto ist auf diesem Laptop nicht vorhanden.</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>&amp;Channel</source>
        <translation>&amp;Kanal</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>Besuch</translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation>Telefonat</translation>
    </message>
    <message>
        <source>Video call</source>
        <translation>Videoanruf</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Veranstaltung</translation>
    </message>
    <message>
        <source>&amp;Date and time</source>
        <translation>&amp;Datum und Uhrzeit</translation>
    </message>
    <message>
        <source>D&amp;uration</source>
        <translation>Da&amp;uer</translation>
    </message>
    <message>
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <source>&amp;Subject</source>
        <translation>&amp;Betreff</translation>
    </message>
    <message>
        <source>What the call was about</source>
        <translation>Worum es ging</translation>
    </message>
    <message>
        <source>Further a&amp;ttendees</source>
        <translation>Weitere &amp;Teilnehmende</translation>
    </message>
    <message>
        <source>Names, separated by commas</source>
        <translation>Namen, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>&amp;Products discussed</source>
        <translation>Besprochene &amp;Produkte</translation>
    </message>
    <message>
        <source>Products discussed</source>
        <translation>Besprochene Produkte</translation>
    </message>
    <message>
        <source>Type or choose a product to add</source>
        <translation>Produkt eintippen oder auswählen</translation>
    </message>
    <message>
        <source>Type the first letters, then Enter</source>
        <translation>Die ersten Buchstaben tippen, dann Eingabe</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>Alt+Up and Alt+Down change the order; Delete removes</source>
        <translation>Alt+Pfeil hoch/runter ändert die Reihenfolge; Entf entfernt</translation>
    </message>
    <message>
        <source>Move up (Alt+Up)</source>
        <translation>Nach oben (Alt+Pfeil hoch)</translation>
    </message>
    <message>
        <source>Move down (Alt+Down)</source>
        <translation>Nach unten (Alt+Pfeil runter)</translation>
    </message>
    <message>
        <source>Remove (Delete)</source>
        <translation>Entfernen (Entf)</translation>
    </message>
    <message>
        <source>{product} (not promotable in this territory)</source>
        <translation>{product} (in diesem Gebiet nicht bewerbbar)</translation>
    </message>
    <message>
        <source>Key messages</source>
        <translation>Kernbotschaften</translation>
    </message>
    <message>
        <source>Add a product to record its key messages.</source>
        <translation>Fügen Sie ein Produkt hinzu, um seine Kernbotschaften zu erfassen.</translation>
    </message>
    <message>
        <source>No key messages for this product.</source>
        <translation>Keine Kernbotschaften für dieses Produkt.</translation>
    </message>
    <message>
        <source>Not discussed</source>
        <translation>Nicht besprochen</translation>
    </message>
    <message>
        <source>Discussed</source>
        <translation>Besprochen</translation>
    </message>
    <message>
        <source>Positive</source>
        <translation>Positiv</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>Neutral</translation>
    </message>
    <message>
        <source>Negative</source>
        <translation>Negativ</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>No samples handed over.</source>
        <translation>Keine Muster übergeben.</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Sample product</source>
        <translation>Musterprodukt</translation>
    </message>
    <message>
        <source>Remove this sample</source>
        <translation>Dieses Muster entfernen</translation>
    </message>
    <message>
        <source>Add sa&amp;mple</source>
        <translation>Muster hin&amp;zufügen</translation>
    </message>
    <message>
        <source>{left} of {limit} left for this account in {year}</source>
        <translation>Noch {left} von {limit} für dieses Konto im Jahr {year}</translation>
    </message>
    <message>
        <source>This product may not be given as a sample.</source>
        <translation>Dieses Produkt darf nicht als Muster abgegeben werden.</translation>
    </message>
    <message>
        <source>No product of this territory may be given as a sample.</source>
        <translation>Kein Produkt dieses Gebiets darf als Muster abgegeben werden.</translation>
    </message>
    <message>
        <source>Enter the lot number printed on the pack.</source>
        <translation>Geben Sie die Chargennummer von der Packung ein.</translation>
    </message>
    <message>
        <source>Signature of the recipient</source>
        <translation>Unterschrift des Empfängers</translation>
    </message>
    <message>
        <source>Signed b&amp;y</source>
        <translation>Unterschrieben &amp;von</translation>
    </message>
    <message>
        <source>Si&amp;gnature</source>
        <translation>Unter&amp;schrift</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Unterschrift</translation>
    </message>
    <message>
        <source>Sign here</source>
        <translation>Hier unterschreiben</translation>
    </message>
    <message>
        <source>Sign with the mouse, a pen or a finger. Delete clears the signature.</source>
        <translation>Mit Maus, Stift oder Finger unterschreiben. Entf löscht die Unterschrift.</translation>
    </message>
    <message>
        <source>C&amp;lear signature</source>
        <translation>Unterschrift &amp;löschen</translation>
    </message>
    <message>
        <source>Remove the signature (Delete on the pad)</source>
        <translation>Unterschrift entfernen (Entf im Unterschriftsfeld)</translation>
    </message>
    <message>
        <source>&amp;Notes</source>
        <translation>&amp;Notizen</translation>
    </message>
    <message>
        <source>Interests, questions, objections, agreements</source>
        <translation>Interessen, Fragen, Einwände, Vereinbarungen</translation>
    </message>
    <message>
        <source>&amp;Follow-up</source>
        <translation>&amp;Folgeaktion</translation>
    </message>
    <message>
        <source>For example: bring the new study</source>
        <translation>Zum Beispiel: die neue Studie mitbringen</translation>
    </message>
    <message>
        <source>Due &amp;on</source>
        <translation>Fällig a&amp;m</translation>
    </message>
    <message>
        <source>dd/MM/yyyy</source>
        <translation>dd.MM.yyyy</translation>
    </message>
    <message>
        <source>dd/MM/yyyy HH:mm</source>
        <translation>dd.MM.yyyy HH:mm</translation>
    </message>
    <message>
        <source>Medical question…</source>
        <translation>Medizinische Frage …</translation>
    </message>
    <message>
        <source>Escalate a question only medical may answer</source>
        <translation>Eine Frage weitergeben, die nur Medical beantworten darf</translation>
    </message>
    <message>
        <source>Discard draft…</source>
        <translation>Entwurf verwerfen…</translation>
    </message>
    <message>
        <source>Throw this draft away, e.g. one opened by mistake</source>
        <translation>Diesen Entwurf verwerfen, z. B. einen versehentlich angelegten</translation>
    </message>
    <message>
        <source>Discard this draft?</source>
        <translation>Diesen Entwurf verwerfen?</translation>
    </message>
    <message>
        <source>The draft is removed from this laptop and, with the next sync, from your other laptops. This cannot be undone.</source>
        <translation>Der Entwurf wird von diesem Laptop entfernt und mit der nächsten Synchronisierung auch von Ihren anderen Laptops. Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>Entwurf verwerfen</translation>
    </message>
    <message>
        <source>Only the rep who started this draft can discard it.</source>
        <translation>Nur wer den Entwurf angelegt hat, kann ihn verwerfen.</translation>
    </message>
    <message>
        <source>An e-detail was presented or a medical question raised in this draft, so it is kept: finish and submit it instead.</source>
        <translation>In diesem Entwurf wurde ein E-Detail präsentiert oder eine medizinische Frage gestellt, deshalb bleibt er erhalten: Bitte vervollständigen und reichen Sie ihn stattdessen ein.</translation>
    </message>
    <message>
        <source>The doctor did not &amp;receive me</source>
        <translation>Der A&amp;rzt hat mich nicht empfangen</translation>
    </message>
    <message>
        <source>You went to see the doctor and were not received: nothing was discussed or handed over</source>
        <translation>Sie waren beim Arzt und wurden nicht empfangen: Nichts wurde besprochen oder übergeben</translation>
    </message>
    <message>
        <source>Not received: no products, key messages or samples to record.</source>
        <translation>Nicht empfangen: keine Produkte, Kernbotschaften oder Muster zu erfassen.</translation>
    </message>
    <message>
        <source>Not received</source>
        <translation>Nicht empfangen</translation>
    </message>
</context>
</TS>
