<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<!-- German for the application shell, accounts, account and Today screens, and the services.
     The call report keeps its own file (call_report.ts). -->
<context>
    <name>Fieldrep</name>
    <message>
        <source>The account does not exist on this laptop.</source>
        <translation>Das Konto ist auf diesem Laptop nicht vorhanden.</translation>
    </message>
    <message>
        <source>The consent date cannot be in the future.</source>
        <translation>Das Datum der Einwilligung darf nicht in der Zukunft liegen.</translation>
    </message>
    <message>
        <source>A channel is listed twice.</source>
        <translation>Ein Kanal ist doppelt aufgeführt.</translation>
    </message>
    <message>
        <source>“{value}” is not an e-mail address.</source>
        <translation>„{value}“ ist keine E-Mail-Adresse.</translation>
    </message>
    <message>
        <source>A call can only be submitted once it has taken place.</source>
        <translation>Ein Besuch kann erst abgeschlossen werden, wenn er stattgefunden hat.</translation>
    </message>
    <message>
        <source>Not approved for promotion in this territory: {names}.</source>
        <translation>In diesem Gebiet nicht zur Bewerbung freigegeben: {names}.</translation>
    </message>
    <message>
        <source>A product is listed twice.</source>
        <translation>Ein Produkt ist doppelt aufgeführt.</translation>
    </message>
    <message>
        <source>An attendee is listed twice.</source>
        <translation>Ein Teilnehmer ist doppelt aufgeführt.</translation>
    </message>
    <message>
        <source>A product is no longer available on this laptop.</source>
        <translation>Ein Produkt ist auf diesem Laptop nicht mehr verfügbar.</translation>
    </message>
    <message>
        <source>This call no longer exists.</source>
        <translation>Diesen Kontakt gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>This call was submitted and is locked; it cannot be changed.</source>
        <translation>Dieser Bericht wurde abgeschlossen und ist gesperrt; er kann nicht mehr geändert werden.</translation>
    </message>
    <message>
        <source>{name} has not consented to e-mail. Record the consent first, or choose another channel.</source>
        <translation>{name} hat keine Einwilligung für E-Mails erteilt. Erfassen Sie zuerst die Einwilligung oder wählen Sie einen anderen Kanal.</translation>
    </message>
    <message>
        <source>A key message belongs to a product that is not among the products discussed.</source>
        <translation>Eine Kernbotschaft gehört zu einem Produkt, das nicht unter den besprochenen Produkten ist.</translation>
    </message>
    <message>
        <source>Samples need the recipient's signature.</source>
        <translation>Für Muster ist die Unterschrift des Empfängers nötig.</translation>
    </message>
    <message>
        <source>Samples can only be handed over in person.</source>
        <translation>Muster können nur persönlich übergeben werden.</translation>
    </message>
    <message>
        <source>{product} may not be given as a sample.</source>
        <translation>{product} darf nicht als Muster abgegeben werden.</translation>
    </message>
    <message>
        <source>Over the yearly limit for {product}: {given} of {limit} given in {year}, {left} left.</source>
        <translation>Jahreshöchstmenge für {product} überschritten: {given} von {limit} im Jahr {year} abgegeben, {left} übrig.</translation>
    </message>
    <message>
        <source>Enter the lot number printed on the pack.</source>
        <translation>Geben Sie die Chargennummer von der Packung ein.</translation>
    </message>
    <message>
        <source>“{value}” is not a reaction.</source>
        <translation>„{value}“ ist keine Reaktion.</translation>
    </message>
    <message>
        <source>A key message is no longer available on this laptop.</source>
        <translation>Eine Kernbotschaft ist auf diesem Laptop nicht mehr verfügbar.</translation>
    </message>
    <message>
        <source>This product and lot are already listed.</source>
        <translation>Dieses Produkt mit dieser Charge ist bereits aufgeführt.</translation>
    </message>
    <message>
        <source>A call cannot move to another account.</source>
        <translation>Ein Kontakt kann nicht zu einem anderen Konto verschoben werden.</translation>
    </message>
    <message>
        <source>Generate between 1 and {most} accounts.</source>
        <translation>Erzeugen Sie zwischen 1 und {most} Konten.</translation>
    </message>
    <message>
        <source>The history covers at least one year.</source>
        <translation>Der Verlauf muss mindestens ein Jahr umfassen.</translation>
    </message>
    <message>
        <source>This database already holds data; demo data goes into a new, empty one.</source>
        <translation>Diese Datenbank enthält bereits Daten; Demodaten kommen in eine neue, leere Datenbank.</translation>
    </message>
    <message>
        <source>Generating demo data was cancelled; nothing was written.</source>
        <translation>Das Erzeugen der Demodaten wurde abgebrochen; es wurde nichts geschrieben.</translation>
    </message>
    <message>
        <source>“{value}” is not a whole number.</source>
        <translation>„{value}“ ist keine ganze Zahl.</translation>
    </message>
    <message>
        <source>Must be at least {minimum}.</source>
        <translation>Muss mindestens {minimum} sein.</translation>
    </message>
    <message>
        <source>Must be at most {maximum}.</source>
        <translation>Darf höchstens {maximum} sein.</translation>
    </message>
    <message>
        <source>“{value}” is not one of: {allowed}.</source>
        <translation>„{value}“ ist keiner der Werte: {allowed}.</translation>
    </message>
    <message>
        <source>Enter a date and time.</source>
        <translation>Geben Sie Datum und Uhrzeit ein.</translation>
    </message>
    <message>
        <source>“{value}” is not a valid date and time (use YYYY-MM-DD HH:MM).</source>
        <translation>„{value}“ ist kein gültiges Datum mit Uhrzeit (Format JJJJ-MM-TT HH:MM).</translation>
    </message>
    <message>
        <source>“{value}” is not a valid date (use YYYY-MM-DD).</source>
        <translation>„{value}“ ist kein gültiges Datum (Format JJJJ-MM-TT).</translation>
    </message>
    <message>
        <source>Enter a number.</source>
        <translation>Geben Sie eine Zahl ein.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Specialty</source>
        <translation>Fachrichtung</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Postcode</source>
        <translation>PLZ</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Segment</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>Letzter Kontakt</translation>
    </message>
    <message>
        <source>d MMM yyyy</source>
        <translation>d. MMM yyyy</translation>
    </message>
    <message>
        <source>dddd, d MMMM yyyy</source>
        <translation>dddd, d. MMMM yyyy</translation>
    </message>
    <message>
        <source>d MMM yyyy, HH:mm</source>
        <translation>d. MMM yyyy, HH:mm</translation>
    </message>
    <message>
        <source>Visit</source>
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
        <source>Planned</source>
        <translation>Geplant</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Not asked</source>
        <translation>Nicht erfragt</translation>
    </message>
    <message>
        <source>Granted</source>
        <translation>Erteilt</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Field rep</source>
        <translation>Außendienst</translation>
    </message>
    <message>
        <source>Medical science liaison</source>
        <translation>Medical Science Liaison</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>Einrichtung</translation>
    </message>
    <message>
        <source>Healthcare professional</source>
        <translation>Medizinische Fachperson</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Konten</translation>
    </message>
    <message>
        <source>Search accounts</source>
        <translation>Konten suchen</translation>
    </message>
    <message>
        <source>Open the selected account or call</source>
        <translation>Ausgewähltes Konto oder ausgewählten Bericht öffnen</translation>
    </message>
    <message>
        <source>Log a call with the open account</source>
        <translation>Kontakt mit dem geöffneten Konto erfassen</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Today (Ctrl+1)</source>
        <translation>Heute (Strg+1)</translation>
    </message>
    <message>
        <source>Accounts (Ctrl+2)</source>
        <translation>Konten (Strg+2)</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>Einstellungen (Strg+,)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Log a call</source>
        <translation>Kontakt er&amp;fassen</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Gehe zu</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Fieldrep</source>
        <translation>Ü&amp;ber Fieldrep</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>About Fieldrep</source>
        <translation>Über Fieldrep</translation>
    </message>
    <message>
        <source>&amp;Today</source>
        <translation>&amp;Heute</translation>
    </message>
    <message>
        <source>&amp;Accounts</source>
        <translation>&amp;Konten</translation>
    </message>
    <message>
        <source>&amp;Find an account</source>
        <translation>Konto &amp;suchen</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Fieldrep {version}&lt;/h3&gt;&lt;p&gt;Your accounts, calls and samples, on this laptop, with or without a network.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Fieldrep {version}&lt;/h3&gt;&lt;p&gt;Ihre Konten, Besuche und Muster auf diesem Laptop, mit oder ohne Netz.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Datenordner</translation>
    </message>
    <message>
        <source>Something went wrong ({kind}). Nothing you typed is lost; please try again. Details are in the log file.</source>
        <translation>Etwas ist schiefgegangen ({kind}). Ihre Eingaben sind nicht verloren; bitte versuchen Sie es noch einmal. Einzelheiten stehen in der Protokolldatei.</translation>
    </message>
    <message>
        <source>Back to the account</source>
        <translation>Zurück zum Konto</translation>
    </message>
    <message>
        <source>Save and go back to the account (Alt+Left)</source>
        <translation>Speichern und zurück zum Konto (Alt+Links)</translation>
    </message>
    <message>
        <source>Enter an address like https://crm.example.com or http://10.0.0.5:8080, or leave it empty.</source>
        <translation>Geben Sie eine Adresse wie https://crm.example.com oder http://10.0.0.5:8080 ein oder lassen Sie das Feld leer.</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>Farben</translation>
    </message>
    <message>
        <source>Choose the data folder</source>
        <translation>Datenordner auswählen</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Where your accounts and calls are kept on this laptop. A new folder is used from the next start; the current data stays where it is.</source>
        <translation>Hier liegen Ihre Konten und Berichte auf diesem Laptop. Ein neuer Ordner gilt ab dem nächsten Start; die bisherigen Daten bleiben, wo sie sind.</translation>
    </message>
    <message>
        <source>{changes} · oldest {when}</source>
        <translation>{changes} · älteste {when}</translation>
    </message>
    <message>
        <source>All changes saved on this laptop</source>
        <translation>Alle Änderungen auf diesem Laptop gespeichert</translation>
    </message>
    <message>
        <source>1 change waiting to sync</source>
        <translation>1 Änderung wartet auf Synchronisierung</translation>
    </message>
    <message>
        <source>{count} changes waiting to sync</source>
        <translation>{count} Änderungen warten auf Synchronisierung</translation>
    </message>
    <message>
        <source>Changes are kept safely on this laptop and sent to the server at the next sync.</source>
        <translation>Änderungen sind auf diesem Laptop sicher gespeichert und werden bei der nächsten Synchronisierung an den Server gesendet.</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <source>{name} · {role}</source>
        <translation>{name} · {role}</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Best time</source>
        <translation>Beste Zeit</translation>
    </message>
    <message>
        <source>German</source>
        <translation>Deutsch</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Englisch</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Channels and consent</source>
        <translation>Kanäle und Einwilligung</translation>
    </message>
    <message>
        <source>The account's preferred channels: 1 is the first choice.</source>
        <translation>Die bevorzugten Kanäle des Kontos: 1 ist die erste Wahl.</translation>
    </message>
    <message>
        <source>Edit preferences and consent…</source>
        <translation>Präferenzen und Einwilligung bearbeiten…</translation>
    </message>
    <message>
        <source>Affiliations</source>
        <translation>Zugehörigkeiten</translation>
    </message>
    <message>
        <source>No affiliations recorded.</source>
        <translation>Keine Zugehörigkeiten erfasst.</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Back to the accounts list (Alt+Left)</source>
        <translation>Zurück zur Kontenliste (Alt+Links)</translation>
    </message>
    <message>
        <source>Log a call</source>
        <translation>Kontakt erfassen</translation>
    </message>
    <message>
        <source>Log a call with this account (Ctrl+N)</source>
        <translation>Kontakt mit diesem Konto erfassen (Strg+N)</translation>
    </message>
    <message>
        <source>No calls yet.</source>
        <translation>Noch keine Kontakte.</translation>
    </message>
    <message>
        <source>Log the first one with “Log a call” (Ctrl+N).</source>
        <translation>Erfassen Sie den ersten mit „Kontakt erfassen“ (Strg+N).</translation>
    </message>
    <message>
        <source>The account could not be read.</source>
        <translation>Das Konto konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Einwilligung</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <source>{state} on {date}</source>
        <translation>{state} am {date}</translation>
    </message>
    <message>
        <source>Open {name}</source>
        <translation>{name} öffnen</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Produkte</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>This account is no longer on this laptop.</source>
        <translation>Dieses Konto ist nicht mehr auf diesem Laptop.</translation>
    </message>
    <message>
        <source>It may have moved to another territory.</source>
        <translation>Es wurde vielleicht einem anderen Gebiet zugeordnet.</translation>
    </message>
    <message>
        <source>Segment {segment}</source>
        <translation>Segment {segment}</translation>
    </message>
    <message>
        <source>History ({count})</source>
        <translation>Verlauf ({count})</translation>
    </message>
    <message>
        <source>All specialties</source>
        <translation>Alle Fachrichtungen</translation>
    </message>
    <message>
        <source>Filter by specialty</source>
        <translation>Nach Fachrichtung filtern</translation>
    </message>
    <message>
        <source>All segments</source>
        <translation>Alle Segmente</translation>
    </message>
    <message>
        <source>Filter by segment</source>
        <translation>Nach Segment filtern</translation>
    </message>
    <message>
        <source>All cities</source>
        <translation>Alle Orte</translation>
    </message>
    <message>
        <source>Filter by city</source>
        <translation>Nach Ort filtern</translation>
    </message>
    <message>
        <source>Clear search and filters</source>
        <translation>Suche und Filter zurücksetzen</translation>
    </message>
    <message>
        <source>The accounts could not be read.</source>
        <translation>Die Konten konnten nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Search name, city, specialty or LANR…</source>
        <translation>Name, Ort, Fachrichtung oder LANR suchen…</translation>
    </message>
    <message>
        <source>1 account</source>
        <translation>1 Konto</translation>
    </message>
    <message>
        <source>{count} accounts</source>
        <translation>{count} Konten</translation>
    </message>
    <message>
        <source>No account matches “{typed}”.</source>
        <translation>Kein Konto passt zu „{typed}“.</translation>
    </message>
    <message>
        <source>Check the spelling or clear the filters.</source>
        <translation>Prüfen Sie die Schreibweise oder setzen Sie die Filter zurück.</translation>
    </message>
    <message>
        <source>No account matches these filters.</source>
        <translation>Kein Konto passt zu diesen Filtern.</translation>
    </message>
    <message>
        <source>Clear the filters to see all accounts.</source>
        <translation>Setzen Sie die Filter zurück, um alle Konten zu sehen.</translation>
    </message>
    <message>
        <source>No accounts on this laptop yet.</source>
        <translation>Noch keine Konten auf diesem Laptop.</translation>
    </message>
    <message>
        <source>Your accounts arrive with the first sync from the server.</source>
        <translation>Ihre Konten kommen mit der ersten Synchronisierung vom Server.</translation>
    </message>
    <message>
        <source>Consent to {channel}</source>
        <translation>Einwilligung für {channel}</translation>
    </message>
    <message>
        <source>Date of consent</source>
        <translation>Datum der Einwilligung</translation>
    </message>
    <message>
        <source>Source of consent</source>
        <translation>Herkunft der Einwilligung</translation>
    </message>
    <message>
        <source>Preference rank</source>
        <translation>Rang der Präferenz</translation>
    </message>
    <message>
        <source>Preferences and consent – {name}</source>
        <translation>Präferenzen und Einwilligung – {name}</translation>
    </message>
    <message>
        <source>Best time to reach</source>
        <translation>Am besten erreichbar</translation>
    </message>
    <message>
        <source>Preferred language</source>
        <translation>Bevorzugte Sprache</translation>
    </message>
    <message>
        <source>e.g. signed form</source>
        <translation>z. B. unterschriebenes Formular</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Herkunft</translation>
    </message>
    <message>
        <source>e.g. Tuesdays after 14:00</source>
        <translation>z. B. dienstags ab 14 Uhr</translation>
    </message>
    <message>
        <source>Consent and preferred channels</source>
        <translation>Einwilligung und bevorzugte Kanäle</translation>
    </message>
    <message>
        <source>Rank 1 is the channel the account prefers most. Channels without a rank are not preferred.</source>
        <translation>Rang 1 ist der Kanal, den das Konto am meisten bevorzugt. Kanäle ohne Rang werden nicht bevorzugt.</translation>
    </message>
    <message>
        <source>Give each rank to one channel only.</source>
        <translation>Vergeben Sie jeden Rang nur an einen Kanal.</translation>
    </message>
    <message>
        <source>Good evening, {name}</source>
        <translation>Guten Abend, {name}</translation>
    </message>
    <message>
        <source>Welcome to Fieldrep</source>
        <translation>Willkommen bei Fieldrep</translation>
    </message>
    <message>
        <source>Good morning, {name}</source>
        <translation>Guten Morgen, {name}</translation>
    </message>
    <message>
        <source>Good afternoon, {name}</source>
        <translation>Guten Tag, {name}</translation>
    </message>
    <message>
        <source>Drafts to finish</source>
        <translation>Offene Entwürfe</translation>
    </message>
    <message>
        <source>Planned calls</source>
        <translation>Geplante Kontakte</translation>
    </message>
    <message>
        <source>No calls planned.</source>
        <translation>Keine Kontakte geplant.</translation>
    </message>
    <message>
        <source>Find a doctor under Accounts (Ctrl+2) and log a call (Ctrl+N).</source>
        <translation>Suchen Sie unter Konten (Strg+2) eine Ärztin oder einen Arzt und erfassen Sie einen Kontakt (Strg+N).</translation>
    </message>
    <message>
        <source>Today's calls could not be read.</source>
        <translation>Die heutigen Kontakte konnten nicht gelesen werden.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>Fieldrep cannot open your data</source>
        <translation>Fieldrep kann Ihre Daten nicht öffnen</translation>
    </message>
    <message>
        <source>Opening your data…</source>
        <translation>Ihre Daten werden geöffnet …</translation>
    </message>
    <message>
        <source>Enter the name of the person who signed.</source>
        <translation>Geben Sie den Namen der unterschreibenden Person ein.</translation>
    </message>
</context>
</TS>
