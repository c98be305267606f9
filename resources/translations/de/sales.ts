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
    <message>
        <source>Figures</source>
        <translation>Kennzahlen</translation>
    </message>
    <message>
        <source>Calls, reach, coverage and sales (Ctrl+6)</source>
        <translation>Besuche, Reichweite, Abdeckung und Absatz (Strg+6)</translation>
    </message>
    <message>
        <source>A and B accounts</source>
        <translation>A- und B-Kunden</translation>
    </message>
    <message>
        <source>By city</source>
        <translation>Nach Ort</translation>
    </message>
    <message>
        <source>By specialty</source>
        <translation>Nach Fachrichtung</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Besuche</translation>
    </message>
    <message>
        <source>Calls against plan</source>
        <translation>Besuche gegenüber Plan</translation>
    </message>
    <message>
        <source>Calls per account</source>
        <translation>Besuche je Kunde</translation>
    </message>
    <message>
        <source>Group coverage by</source>
        <translation>Abdeckung gruppieren nach</translation>
    </message>
    <message>
        <source>Of plan</source>
        <translation>Vom Plan</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Reach</source>
        <translation>Reichweite</translation>
    </message>
    <message>
        <source>Reach by segment</source>
        <translation>Reichweite nach Segment</translation>
    </message>
    <message>
        <source>Reach of the A and B accounts in the last 13 weeks. Click a bar, or press Enter on a row, to see the accounts.</source>
        <translation>Reichweite der A- und B-Kunden in den letzten 13 Wochen. Ein Klick auf einen Balken oder die Eingabetaste auf einer Zeile zeigt die Kunden.</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>Erreicht</translation>
    </message>
    <message>
        <source>Share of accounts called at least once in the last 13 weeks; grey: the target.</source>
        <translation>Anteil der Kunden mit mindestens einem Besuch in den letzten 13 Wochen; grau: das Ziel.</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Diesen Monat</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Diese Woche</translation>
    </message>
    <message>
        <source>Where coverage lags</source>
        <translation>Wo die Abdeckung zurückliegt</translation>
    </message>
    <message>
        <source>1 call this week of {plan} planned</source>
        <translation>1 Besuch diese Woche von {plan} geplanten</translation>
    </message>
    <message>
        <source>{calls} calls this week of {plan} planned</source>
        <translation>{calls} Besuche diese Woche von {plan} geplanten</translation>
    </message>
    <message>
        <source>My figures</source>
        <translation>Meine Kennzahlen</translation>
    </message>
    <message>
        <source>Sales in the territory</source>
        <translation>Absatz im Gebiet</translation>
    </message>
    <message>
        <source>The figures could not be read: {reason}</source>
        <translation>Die Kennzahlen konnten nicht gelesen werden: {reason}</translation>
    </message>
</context>
</TS>
