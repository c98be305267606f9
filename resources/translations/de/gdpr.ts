<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>This laptop holds no account with the id {id}.</source>
        <translation>Auf diesem Laptop gibt es keinen Kunden mit der ID {id}.</translation>
    </message>
    <message>
        <source>{name} is an institution: a data-protection export is made for a person. Choose the doctor's account.</source>
        <translation>{name} ist eine Einrichtung: Ein Datenschutz-Export wird für eine Person erstellt. Wählen Sie den Kunden-Datensatz des Arztes.</translation>
    </message>
    <message>
        <source>The export could not be written to {path}: {reason}. Choose another file.</source>
        <translation>Der Export konnte nicht nach {path} geschrieben werden: {reason}. Wählen Sie eine andere Datei.</translation>
    </message>
    <message>
        <source>Export data for a data-protection request…</source>
        <translation>Daten für eine Datenschutz-Auskunft exportieren…</translation>
    </message>
    <message>
        <source>Write everything this laptop holds about the doctor to a JSON file (GDPR subject-access request).</source>
        <translation>Alles, was dieser Laptop über den Arzt gespeichert hat, in eine JSON-Datei schreiben (DSGVO-Auskunftsersuchen).</translation>
    </message>
    <message>
        <source>Export data</source>
        <translation>Daten exportieren</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>Saved {path} ({rows} rows). Hand it over securely: it holds personal data.</source>
        <translation>{path} gespeichert ({rows} Zeilen). Sicher übergeben: Die Datei enthält personenbezogene Daten.</translation>
    </message>
</context>
</TS>
