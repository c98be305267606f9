<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>The server address {url} starts with http://, which would send your password and your doctors' data unencrypted over the network. Use the https:// address of the server (ask your administrator).</source>
        <translation>Die Serveradresse {url} beginnt mit http://. Damit würden Ihr Passwort und die Daten Ihrer Ärztinnen und Ärzte unverschlüsselt über das Netz gehen. Verwenden Sie die https://-Adresse des Servers (fragen Sie Ihre Administration).</translation>
    </message>
    <message>
        <source>{url} is not a server address: it must start with https://.</source>
        <translation>{url} ist keine Serveradresse: Sie muss mit https:// beginnen.</translation>
    </message>
    <message>
        <source>The certificate authority file {path} set in the settings cannot be found. Choose the file your IT department gave you, or clear the setting.</source>
        <translation>Die in den Einstellungen angegebene Zertifizierungsstellen-Datei {path} wurde nicht gefunden. Wählen Sie die Datei, die Sie von Ihrer IT-Abteilung bekommen haben, oder leeren Sie die Einstellung.</translation>
    </message>
    <message>
        <source>The server's certificate could not be verified ({reason}), so nothing was sent to it. Someone may be intercepting the connection. If your company uses its own certificate authority, set its CA bundle in the settings.</source>
        <translation>Das Zertifikat des Servers konnte nicht geprüft werden ({reason}), deshalb wurde nichts an ihn gesendet. Möglicherweise wird die Verbindung abgefangen. Wenn Ihre Firma eine eigene Zertifizierungsstelle verwendet, tragen Sie deren Zertifikatsdatei in den Einstellungen ein.</translation>
    </message>
    <message>
        <source>Enter an address like https://crm.example.com, or leave it empty.</source>
        <translation>Geben Sie eine Adresse wie https://crm.example.com ein oder lassen Sie das Feld leer.</translation>
    </message>
    <message>
        <source>There is no file {path}. Choose the certificate authority file (PEM) your IT department gave you, or leave the field empty.</source>
        <translation>Die Datei {path} gibt es nicht. Wählen Sie die Zertifizierungsstellen-Datei (PEM), die Sie von Ihrer IT-Abteilung bekommen haben, oder lassen Sie das Feld leer.</translation>
    </message>
    <message>
        <source>Company certificate authority</source>
        <translation>Zertifizierungsstelle der Firma</translation>
    </message>
    <message>
        <source>Only if your company signs its servers' certificates itself: the certificate authority file (PEM) from your IT department. Leave it empty otherwise.</source>
        <translation>Nur wenn Ihre Firma die Zertifikate ihrer Server selbst ausstellt: die Datei der Zertifizierungsstelle (PEM) von Ihrer IT-Abteilung. Sonst leer lassen.</translation>
    </message>
    <message>
        <source>Choose the certificate authority file</source>
        <translation>Datei der Zertifizierungsstelle wählen</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
</context>
</TS>
