<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Geben Sie Benutzername und Passwort ein.</translation>
    </message>
    <message>
        <source>No server is set up.</source>
        <translation>Es ist kein Server eingerichtet.</translation>
    </message>
    <message>
        <source>The first login on this laptop needs a connection to the server ({reason}).</source>
        <translation>Die erste Anmeldung auf diesem Laptop braucht eine Verbindung zum Server ({reason}).</translation>
    </message>
    <message>
        <source>The password is wrong. Offline, Fieldrep checks it against the one you last used online on this laptop.</source>
        <translation>Das Passwort ist falsch. Offline prüft Fieldrep es gegen das Passwort, mit dem Sie sich zuletzt online auf diesem Laptop angemeldet haben.</translation>
    </message>
    <message>
        <source>The user name or password is wrong.</source>
        <translation>Benutzername oder Passwort ist falsch.</translation>
    </message>
    <message>
        <source>Log in to sync with the server.</source>
        <translation>Melden Sie sich an, um mit dem Server zu synchronisieren.</translation>
    </message>
    <message>
        <source>The sync failed.</source>
        <translation>Die Synchronisierung ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Log in to sync</source>
        <translation>Zum Synchronisieren anmelden</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Enter the address of the Fieldrep server.</source>
        <translation>Geben Sie die Adresse des Fieldrep-Servers ein.</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <source>Syncing… {done} of {total}</source>
        <translation>Synchronisiere… {done} von {total}</translation>
    </message>
    <message>
        <source>Syncing… {done}</source>
        <translation>Synchronisiere… {done}</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronisiere…</translation>
    </message>
    <message>
        <source>All changes synced</source>
        <translation>Alle Änderungen synchronisiert</translation>
    </message>
    <message>
        <source>Last sync {time}</source>
        <translation>Zuletzt synchronisiert {time}</translation>
    </message>
    <message>
        <source>Sync failed: {reason}</source>
        <translation>Synchronisierung fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>The last sync reached the server.</source>
        <translation>Die letzte Synchronisierung hat den Server erreicht.</translation>
    </message>
    <message>
        <source>The last sync could not reach the server. Your changes stay on this laptop until the next sync.</source>
        <translation>Die letzte Synchronisierung konnte den Server nicht erreichen. Ihre Änderungen bleiben bis zur nächsten Synchronisierung auf diesem Laptop.</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <source>S&amp;ync now</source>
        <translation>S&amp;ynchronisieren</translation>
    </message>
</context>
</TS>
