<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>Open tasks</source>
        <translation>Offene Aufgaben</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Zuständig</translation>
    </message>
    <message>
        <source>no date</source>
        <translation>ohne Datum</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>überfällig</translation>
    </message>
    <message>
        <source>No open tasks.</source>
        <translation>Keine offenen Aufgaben.</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>Als erledigt markieren</translation>
    </message>
    <message>
        <source>The selected task is done (it syncs like any change)</source>
        <translation>Die ausgewählte Aufgabe ist erledigt (wird wie jede Änderung synchronisiert)</translation>
    </message>
    <message>
        <source>{title} ({count})</source>
        <translation>{title} ({count})</translation>
    </message>
    <message>
        <source>This task no longer exists.</source>
        <translation>Diese Aufgabe gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>This task is already closed.</source>
        <translation>Diese Aufgabe ist bereits abgeschlossen.</translation>
    </message>
    <message>
        <source>This task belongs to someone else: they mark it done.</source>
        <translation>Diese Aufgabe gehört jemand anderem: Diese Person markiert sie als erledigt.</translation>
    </message>
</context>
</TS>
