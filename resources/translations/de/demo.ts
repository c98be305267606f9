<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>The demo server at {url} does not answer.</source>
        <translation>Der Demo-Server unter {url} antwortet nicht.</translation>
    </message>
    <message>
        <source>{path} holds {count} change(s) not yet sent to the demo server: the demo refuses to delete them. Sync first, or use another --data-dir.</source>
        <translation>{path} enthält {count} Änderung(en), die noch nicht an den Demo-Server gesendet wurden: Die Demo löscht sie nicht. Synchronisieren Sie zuerst oder wählen Sie ein anderes --data-dir.</translation>
    </message>
    <message>
        <source>{path} is not demo data: the demo refuses to delete it.</source>
        <translation>{path} enthält keine Demodaten: Die Demo löscht die Datei nicht.</translation>
    </message>
    <message>
        <source>Creating the demo server with a territory of {count} accounts in {folder} …</source>
        <translation>Der Demo-Server wird mit einem Gebiet von {count} Kunden in {folder} angelegt …</translation>
    </message>
    <message>
        <source>Joining the demo server at {url}.</source>
        <translation>Verbindung mit dem Demo-Server unter {url}.</translation>
    </message>
    <message>
        <source>The demo server could not be filled: {reason}</source>
        <translation>Der Demo-Server konnte nicht befüllt werden: {reason}</translation>
    </message>
    <message>
        <source>The demo server's data could not be brought up to this version of Fieldrep ({why}); start it anew with --reset.</source>
        <translation>Die Daten des Demo-Servers ließen sich nicht auf diese Fieldrep-Version bringen ({why}); mit --reset neu anlegen.</translation>
    </message>
    <message>
        <source>The demo server did not start; see {log}.</source>
        <translation>Der Demo-Server ist nicht gestartet; siehe {log}.</translation>
    </message>
    <message>
        <source>The demo server is in use by another Fieldrep (process {pid}); close that window first, then reset.</source>
        <translation>Der Demo-Server wird von einem anderen Fieldrep benutzt (Prozess {pid}); schließen Sie zuerst dieses Fenster und setzen Sie dann zurück.</translation>
    </message>
    <message>
        <source>Using the demo territory already on the demo server ({count} accounts, seed {seed}); add --reset to generate a new one.</source>
        <translation>Das Demo-Gebiet auf dem Demo-Server wird weiter benutzt ({count} Kunden, Seed {seed}); mit --reset wird ein neues erzeugt.</translation>
    </message>
    <message>
        <source>No free port for the demo server on 127.0.0.1.</source>
        <translation>Kein freier Port für den Demo-Server auf 127.0.0.1.</translation>
    </message>
</context>
</TS>
