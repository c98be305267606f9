<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>1 refused change</source>
        <translation>1 abgelehnte Änderung</translation>
    </message>
    <message>
        <source>{count} refused changes</source>
        <translation>{count} abgelehnte Änderungen</translation>
    </message>
    <message>
        <source>Changes the server did not take: read why and what you can do.</source>
        <translation>Änderungen, die der Server nicht übernommen hat: lesen Sie, warum und was Sie tun können.</translation>
    </message>
    <message>
        <source>Sent, but 1 change was refused</source>
        <translation>Gesendet, aber 1 Änderung wurde abgelehnt</translation>
    </message>
    <message>
        <source>Sent, but {count} changes were refused</source>
        <translation>Gesendet, aber {count} Änderungen wurden abgelehnt</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Konflikte</translation>
    </message>
    <message>
        <source>Refused changes</source>
        <translation>Abgelehnte Änderungen</translation>
    </message>
    <message>
        <source>Sync conflicts and refused changes</source>
        <translation>Sync-Konflikte und abgelehnte Änderungen</translation>
    </message>
    <message>
        <source>&amp;Open the record</source>
        <translation>Datensatz ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Changes to: {fields}</source>
        <translation>Änderungen an: {fields}</translation>
    </message>
    <message>
        <source>Creating or changing it</source>
        <translation>Anlegen oder Ändern</translation>
    </message>
    <message>
        <source>Deleting it</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>If you think this is wrong, ask your manager; then dismiss this.</source>
        <translation>Wenn Sie das für falsch halten, fragen Sie Ihre Führungskraft; verwerfen Sie den Eintrag danach.</translation>
    </message>
    <message>
        <source>Log a new call for what is missing, then dismiss this.</source>
        <translation>Erfassen Sie für das Fehlende einen neuen Kontakt und verwerfen Sie den Eintrag danach.</translation>
    </message>
    <message>
        <source>No refused changes: the server took everything you sent.</source>
        <translation>Keine abgelehnten Änderungen: Der Server hat alles übernommen, was Sie gesendet haben.</translation>
    </message>
    <message>
        <source>Nothing to do: dismiss this after reading.</source>
        <translation>Nichts zu tun: Verwerfen Sie den Eintrag nach dem Lesen.</translation>
    </message>
    <message>
        <source>Open the record and make the change again if it is still needed, then dismiss this.</source>
        <translation>Öffnen Sie den Datensatz und nehmen Sie die Änderung erneut vor, wenn sie noch nötig ist; verwerfen Sie den Eintrag danach.</translation>
    </message>
    <message>
        <source>Open the record, check it and make the change again if it is still needed, then dismiss this.</source>
        <translation>Öffnen Sie den Datensatz, prüfen Sie ihn und nehmen Sie die Änderung erneut vor, wenn sie noch nötig ist; verwerfen Sie den Eintrag danach.</translation>
    </message>
    <message>
        <source>Sync again (F5); if this stays, tell your support team and dismiss it.</source>
        <translation>Synchronisieren Sie erneut (F5); bleibt es dabei, informieren Sie den Support und verwerfen Sie den Eintrag.</translation>
    </message>
    <message>
        <source>The call had already been submitted (perhaps on another laptop); a submitted call is never changed.</source>
        <translation>Der Kontakt war bereits eingereicht (vielleicht auf einem anderen Laptop); ein eingereichter Kontakt wird nie mehr geändert.</translation>
    </message>
    <message>
        <source>The presentation had already ended on the server; what it recorded is kept as it was.</source>
        <translation>Die Präsentation war auf dem Server bereits beendet; was sie aufgezeichnet hat, bleibt, wie es war.</translation>
    </message>
    <message>
        <source>The record belongs to another user; only they can change it.</source>
        <translation>Der Datensatz gehört einem anderen Benutzer; nur dieser kann ihn ändern.</translation>
    </message>
    <message>
        <source>The record was deleted on the server meanwhile.</source>
        <translation>Der Datensatz wurde inzwischen auf dem Server gelöscht.</translation>
    </message>
    <message>
        <source>The rules for medical inquiries do not allow this change.</source>
        <translation>Die Regeln für medizinische Anfragen erlauben diese Änderung nicht.</translation>
    </message>
    <message>
        <source>The server did not accept this change.</source>
        <translation>Der Server hat diese Änderung nicht angenommen.</translation>
    </message>
    <message>
        <source>The server did not take these changes of yours. Each says why and what you can do. They are no longer waiting to be sent.</source>
        <translation>Der Server hat diese Änderungen von Ihnen nicht übernommen. Zu jeder steht, warum und was Sie tun können. Sie warten nicht mehr auf das Senden.</translation>
    </message>
    <message>
        <source>The server is missing something this change depends on (a record it never received).</source>
        <translation>Dem Server fehlt etwas, von dem diese Änderung abhängt (ein Datensatz, den er nie erhalten hat).</translation>
    </message>
    <message>
        <source>This doctor or institution is not in your territory (any more), so the server did not take your change.</source>
        <translation>Diese Ärztin, dieser Arzt oder diese Einrichtung ist nicht (mehr) in Ihrem Gebiet; der Server hat Ihre Änderung daher nicht übernommen.</translation>
    </message>
    <message>
        <source>This kind of record is kept by the server and cannot be changed from a laptop.</source>
        <translation>Diese Art Datensatz wird vom Server verwaltet und kann nicht vom Laptop aus geändert werden.</translation>
    </message>
    <message>
        <source>What was refused</source>
        <translation>Was abgelehnt wurde</translation>
    </message>
    <message>
        <source>What you can do</source>
        <translation>Was Sie tun können</translation>
    </message>
    <message>
        <source>Your role may read this data but not change it.</source>
        <translation>Ihre Rolle darf diese Daten lesen, aber nicht ändern.</translation>
    </message>
    <message>
        <source>Local preview</source>
        <translation>Lokale Vorschau</translation>
    </message>
    <message>
        <source>Present as a local preview</source>
        <translation>Als lokale Vorschau präsentieren</translation>
    </message>
    <message>
        <source>“{title}” was imported on this laptop and is not approved centrally. It can be presented as a local preview: what it records stays on this laptop and is not sent to the server. To present it officially, ask for it to be added to the server's content.</source>
        <translation>„{title}“ wurde auf diesem Laptop importiert und ist nicht zentral freigegeben. Sie können es als lokale Vorschau präsentieren: Was dabei aufgezeichnet wird, bleibt auf diesem Laptop und wird nicht an den Server gesendet. Für eine offizielle Präsentation lassen Sie es in die Inhalte des Servers aufnehmen.</translation>
    </message>
    <message>
        <source>This Fieldrep is too old for the server: please update Fieldrep.</source>
        <translation>Dieses Fieldrep ist zu alt für den Server: Bitte aktualisieren Sie Fieldrep.</translation>
    </message>
    <message>
        <source>it is not a JSON object</source>
        <translation>sie ist kein JSON-Objekt</translation>
    </message>
    <message>
        <source>it is not valid JSON</source>
        <translation>sie ist kein gültiges JSON</translation>
    </message>
    <message>
        <source>the login answer lacks a part</source>
        <translation>der Antwort auf die Anmeldung fehlt ein Teil</translation>
    </message>
    <message>
        <source>The server's answer could not be read ({what}); nothing of it was applied on this laptop. Sync again later (F5); if this stays, tell your support team.</source>
        <translation>Die Antwort des Servers war nicht lesbar ({what}); nichts davon wurde auf diesem Laptop übernommen. Synchronisieren Sie später erneut (F5); bleibt es dabei, informieren Sie den Support.</translation>
    </message>
    <message>
        <source>Please log in again: your session has ended ({words}). Enter your password to sync.</source>
        <translation>Bitte melden Sie sich erneut an: Ihre Sitzung ist abgelaufen ({words}). Geben Sie Ihr Passwort ein, um zu synchronisieren.</translation>
    </message>
    <message>
        <source>Please log in again: your session has ended. Enter your password to sync.</source>
        <translation>Bitte melden Sie sich erneut an: Ihre Sitzung ist abgelaufen. Geben Sie Ihr Passwort ein, um zu synchronisieren.</translation>
    </message>
    <message>
        <source>The connection to {url} broke off ({why}). Your changes stay on this laptop and are sent at the next sync.</source>
        <translation>Die Verbindung zu {url} ist abgebrochen ({why}). Ihre Änderungen bleiben auf diesem Laptop und werden bei der nächsten Synchronisierung gesendet.</translation>
    </message>
    <message>
        <source>The server had a problem (error {status}). Your changes stay on this laptop; sync again later (F5), and tell your support team if it stays.</source>
        <translation>Der Server hatte ein Problem (Fehler {status}). Ihre Änderungen bleiben auf diesem Laptop; synchronisieren Sie später erneut (F5) und informieren Sie den Support, wenn es so bleibt.</translation>
    </message>
    <message>
        <source>The server refused the request (error {status}). Your changes stay on this laptop; tell your support team if this stays.</source>
        <translation>Der Server hat die Anfrage abgelehnt (Fehler {status}). Ihre Änderungen bleiben auf diesem Laptop; informieren Sie den Support, wenn es so bleibt.</translation>
    </message>
    <message>
        <source>The server refused the request: {words} (error {status}). Your changes stay on this laptop; tell your support team if this stays.</source>
        <translation>Der Server hat die Anfrage abgelehnt: {words} (Fehler {status}). Ihre Änderungen bleiben auf diesem Laptop; informieren Sie den Support, wenn es so bleibt.</translation>
    </message>
    <message>
        <source>The server {url} cannot be reached ({why}). Your changes stay on this laptop and are sent at the next sync; check the network connection.</source>
        <translation>Der Server {url} ist nicht erreichbar ({why}). Ihre Änderungen bleiben auf diesem Laptop und werden bei der nächsten Synchronisierung gesendet; prüfen Sie die Netzwerkverbindung.</translation>
    </message>
    <message>
        <source>The server {url} did not answer for {seconds} seconds, so the sync stopped. Your changes stay on this laptop and are sent at the next sync; if this keeps happening, tell your support team.</source>
        <translation>Der Server {url} hat {seconds} Sekunden lang nicht geantwortet; die Synchronisierung wurde beendet. Ihre Änderungen bleiben auf diesem Laptop und werden bei der nächsten Synchronisierung gesendet; passiert das öfter, informieren Sie den Support.</translation>
    </message>
    <message>
        <source>The sync was cancelled. Your changes stay on this laptop and are sent at the next sync.</source>
        <translation>Die Synchronisierung wurde abgebrochen. Ihre Änderungen bleiben auf diesem Laptop und werden bei der nächsten Synchronisierung gesendet.</translation>
    </message>
    <message>
        <source>There is no Fieldrep server at {url} (it answered “not found”): the server address is probably wrong. Check it in Settings (Ctrl+,) or ask your support team for the right one.</source>
        <translation>Unter {url} gibt es keinen Fieldrep-Server (Antwort „nicht gefunden“): Die Serveradresse ist wahrscheinlich falsch. Prüfen Sie sie in den Einstellungen (Strg+,) oder fragen Sie den Support nach der richtigen.</translation>
    </message>
    <message>
        <source>a change on a page is incomplete</source>
        <translation>eine Änderung auf einer Seite ist unvollständig</translation>
    </message>
    <message>
        <source>a page lacks its changes or cursor</source>
        <translation>einer Seite fehlen die Änderungen oder die Position</translation>
    </message>
    <message>
        <source>a page names a record oddly</source>
        <translation>eine Seite nennt einen Datensatz unlesbar</translation>
    </message>
    <message>
        <source>a result of the push answer is incomplete</source>
        <translation>ein Ergebnis der Antwort auf das Senden ist unvollständig</translation>
    </message>
    <message>
        <source>the push answer has no results</source>
        <translation>die Antwort auf das Senden enthält keine Ergebnisse</translation>
    </message>
    <message>
        <source>Waiting for the server… {seconds} s</source>
        <translation>Warte auf den Server… {seconds} s</translation>
    </message>
</context>
</TS>
