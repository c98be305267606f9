<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>The call was submitted meanwhile and is locked: the value cannot be reapplied.</source>
        <translation>Der Besuch wurde inzwischen abgeschlossen und ist gesperrt: Der Wert kann nicht wieder übernommen werden.</translation>
    </message>
    <message>
        <source>The conflict does not exist on this laptop.</source>
        <translation>Der Konflikt ist auf diesem Laptop nicht vorhanden.</translation>
    </message>
    <message>
        <source>The record is no longer on this laptop, so the value cannot be reapplied.</source>
        <translation>Der Datensatz ist nicht mehr auf diesem Laptop, daher kann der Wert nicht wieder übernommen werden.</translation>
    </message>
    <message>
        <source>This conflict was already settled.</source>
        <translation>Dieser Konflikt wurde bereits erledigt.</translation>
    </message>
    <message>
        <source>This kind of record cannot be edited on this laptop.</source>
        <translation>Diese Art von Datensatz kann auf diesem Laptop nicht bearbeitet werden.</translation>
    </message>
    <message>
        <source>Sync &amp;conflicts…</source>
        <translation>Sync-&amp;Konflikte …</translation>
    </message>
    <message>
        <source>Values that lost against someone else's change: read them, reapply or dismiss them.</source>
        <translation>Werte, die gegen die Änderung eines anderen verloren haben: lesen, wieder übernehmen oder verwerfen.</translation>
    </message>
    <message>
        <source>1 conflict</source>
        <translation>1 Konflikt</translation>
    </message>
    <message>
        <source>{count} conflicts</source>
        <translation>{count} Konflikte</translation>
    </message>
    <message>
        <source>Stop the sync after the current step; what was received so far is kept, nothing is half-applied.</source>
        <translation>Die Synchronisierung nach dem laufenden Schritt anhalten; was bisher empfangen wurde, bleibt erhalten, nichts wird nur halb übernommen.</translation>
    </message>
    <message>
        <source>Stopping the sync…</source>
        <translation>Synchronisierung wird angehalten …</translation>
    </message>
    <message>
        <source>&amp;Dismiss</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>&amp;Reapply the lost value</source>
        <translation>Verlorenen Wert wieder &amp;übernehmen</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>Affiliation</source>
        <translation>Zugehörigkeit</translation>
    </message>
    <message>
        <source>Attendee</source>
        <translation>Teilnehmer</translation>
    </message>
    <message>
        <source>Conflict dismissed.</source>
        <translation>Konflikt verworfen.</translation>
    </message>
    <message>
        <source>Consent and preference</source>
        <translation>Einwilligung und Präferenz</translation>
    </message>
    <message>
        <source>Consent date</source>
        <translation>Datum der Einwilligung</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Datum und Uhrzeit</translation>
    </message>
    <message>
        <source>Discussed product</source>
        <translation>Besprochenes Produkt</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>Fällig am</translation>
    </message>
    <message>
        <source>Duration (min)</source>
        <translation>Dauer (Min.)</translation>
    </message>
    <message>
        <source>External id</source>
        <translation>Externe Kennung</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Vorname</translation>
    </message>
    <message>
        <source>Follow-up date</source>
        <translation>Datum der Nachverfolgung</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Nachverfolgung</translation>
    </message>
    <message>
        <source>Kept by the server</source>
        <translation>Vom Server behalten</translation>
    </message>
    <message>
        <source>Key message reaction</source>
        <translation>Reaktion auf Kernbotschaft</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Nachname</translation>
    </message>
    <message>
        <source>Lost value came from</source>
        <translation>Verlorener Wert stammt von</translation>
    </message>
    <message>
        <source>Lost value</source>
        <translation>Verlorener Wert</translation>
    </message>
    <message>
        <source>No conflicts: every change of yours is on the server.</source>
        <translation>Keine Konflikte: Jede Ihrer Änderungen ist auf dem Server.</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <source>Potential</source>
        <translation>Potenzial</translation>
    </message>
    <message>
        <source>Preferred contact time</source>
        <translation>Bevorzugte Kontaktzeit</translation>
    </message>
    <message>
        <source>Preferred</source>
        <translation>Bevorzugt</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>Straße</translation>
    </message>
    <message>
        <source>Sync conflicts</source>
        <translation>Sync-Konflikte</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>The lost value is back; it goes to the server with the next sync.</source>
        <translation>Der verlorene Wert ist zurück; er geht mit der nächsten Synchronisierung an den Server.</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>You and someone else changed the same field before either of you synced. The server kept one value; the other is shown here so nothing is lost. Reapply the lost value to make it the current one (it syncs like any edit), or dismiss the conflict.</source>
        <translation>Sie und jemand anderes haben dasselbe Feld geändert, bevor einer von Ihnen synchronisiert hat. Der Server hat einen Wert behalten; der andere steht hier, damit nichts verloren geht. Übernehmen Sie den verlorenen Wert wieder, um ihn zum aktuellen zu machen (er wird wie jede Änderung synchronisiert), oder verwerfen Sie den Konflikt.</translation>
    </message>
    <message>
        <source>another device</source>
        <translation>einem anderen Gerät</translation>
    </message>
    <message>
        <source>this laptop</source>
        <translation>diesem Laptop</translation>
    </message>
</context>
</TS>
