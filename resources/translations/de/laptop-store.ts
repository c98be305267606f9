<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>The key file of this user's data is missing from the data folder, so the data cannot be opened. Nothing was changed.</source>
        <translation>Die Schlüsseldatei der Daten dieses Benutzers fehlt im Datenordner, daher lassen sich die Daten nicht öffnen. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>{count} unsent change(s) of another user stay on this laptop in that user's own data; they are sent when that user signs in again.</source>
        <translation>{count} nicht gesendete Änderung(en) eines anderen Benutzers bleiben auf diesem Laptop in dessen eigenen Daten; sie werden gesendet, wenn sich dieser Benutzer wieder anmeldet.</translation>
    </message>
    <message>
        <source>Connect to the server within {days} day(s): after that, Fieldrep opens only online.</source>
        <translation>Verbinden Sie sich innerhalb von {days} Tag(en) mit dem Server: danach öffnet Fieldrep nur noch online.</translation>
    </message>
    <message>
        <source>The password is wrong. Offline, Fieldrep opens your data only with the password you last used on this laptop.</source>
        <translation>Das Passwort ist falsch. Offline öffnet Fieldrep Ihre Daten nur mit dem Passwort, das Sie zuletzt auf diesem Laptop verwendet haben.</translation>
    </message>
    <message>
        <source>The previous password is wrong: it does not open your data on this laptop. Nothing was changed.</source>
        <translation>Das bisherige Passwort ist falsch: Es öffnet Ihre Daten auf diesem Laptop nicht. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>This is the data of {owner}. To work as another user, close Fieldrep and sign in as that user when it starts.</source>
        <translation>Dies sind die Daten von {owner}. Um als anderer Benutzer zu arbeiten, schließen Sie Fieldrep und melden Sie sich beim Start als dieser Benutzer an.</translation>
    </message>
    <message>
        <source>This laptop has not reached the server for more than {days} days: connect to the network and sign in again. Your data stays on this laptop.</source>
        <translation>Dieser Laptop hat den Server seit mehr als {days} Tagen nicht erreicht: Verbinden Sie sich mit dem Netzwerk und melden Sie sich erneut an. Ihre Daten bleiben auf diesem Laptop.</translation>
    </message>
    <message>
        <source>Your data on this laptop is now encrypted with your password.</source>
        <translation>Ihre Daten auf diesem Laptop sind jetzt mit Ihrem Passwort verschlüsselt.</translation>
    </message>
    <message>
        <source>Your password was changed on the server. Your data on this laptop is still locked with your previous password: enter it once to re-lock the data with the new one.</source>
        <translation>Ihr Passwort wurde auf dem Server geändert. Ihre Daten auf diesem Laptop sind noch mit Ihrem bisherigen Passwort verschlossen: Geben Sie es einmal ein, um die Daten mit dem neuen zu verschließen.</translation>
    </message>
    <message>
        <source>The server says: {reason}. Fieldrep removed this user's data from this laptop, unsent changes included. Ask your administrator if this is a mistake.</source>
        <translation>Der Server meldet: {reason}. Fieldrep hat die Daten dieses Benutzers von diesem Laptop entfernt, nicht gesendete Änderungen eingeschlossen. Fragen Sie Ihre Administration, falls das ein Irrtum ist.</translation>
    </message>
    <message>
        <source>Your data was removed from this laptop</source>
        <translation>Ihre Daten wurden von diesem Laptop entfernt</translation>
    </message>
    <message>
        <source>Previous password</source>
        <translation>Bisheriges Passwort</translation>
    </message>
    <message>
        <source>Sign in to Fieldrep</source>
        <translation>Bei Fieldrep anmelden</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
</context>
</TS>
