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
</context>
</TS>
