<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>MMM yy</source>
        <translation>MMM yy</translation>
    </message>
    <message>
        <source>Show as table</source>
        <translation>Als Tabelle zeigen</translation>
    </message>
    <message>
        <source>Show as chart</source>
        <translation>Als Diagramm zeigen</translation>
    </message>
    <message>
        <source>Switches between the chart and a table of the same figures</source>
        <translation>Wechselt zwischen dem Diagramm und einer Tabelle derselben Zahlen</translation>
    </message>
    <message>
        <source>{share} share of market</source>
        <translation>{share} Marktanteil</translation>
    </message>
    <message>
        <source>{change} on the quarter before</source>
        <translation>{change} zum Vorquartal</translation>
    </message>
    <message>
        <source>Sales trend</source>
        <translation>Absatzentwicklung</translation>
    </message>
    <message>
        <source>Sales and share of market</source>
        <translation>Absatz und Marktanteil</translation>
    </message>
    <message>
        <source>Share of market</source>
        <translation>Marktanteil</translation>
    </message>
    <message>
        <source>Units per month; share of market over the last {months} months.</source>
        <translation>Packungen pro Monat; Marktanteil über die letzten {months} Monate.</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Monat</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Packungen</translation>
    </message>
    <message>
        <source>Value (EUR)</source>
        <translation>Umsatz (EUR)</translation>
    </message>
</context>
</TS>
