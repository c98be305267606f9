<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>Team figures</source>
        <translation>Teamkennzahlen</translation>
    </message>
    <message>
        <source>Calls, coverage and reactions per rep; key accounts (Ctrl+6)</source>
        <translation>Besuche, Abdeckung und Reaktionen je Außendienstmitarbeiter; Schlüsselkunden (Strg+6)</translation>
    </message>
    <message>
        <source>All territories</source>
        <translation>Alle Gebiete</translation>
    </message>
    <message>
        <source>Filter by territory</source>
        <translation>Nach Gebiet filtern</translation>
    </message>
    <message>
        <source>A accounts</source>
        <translation>A-Kunden</translation>
    </message>
    <message>
        <source>A accounts reached</source>
        <translation>Erreichte A-Kunden</translation>
    </message>
    <message>
        <source>Calls against the plan of the rep's territory (its cycle plan, once published); A accounts reached in the last 13 weeks; reactions and suggestions of the last four weeks. Click a rep's bars, or press Enter on a row, to see the rep's accounts.</source>
        <translation>Besuche gegenüber dem Plan des Gebiets (seinem Zyklusplan, sobald veröffentlicht); erreichte A-Kunden der letzten 13 Wochen; Reaktionen und Vorschläge der letzten vier Wochen. Ein Klick auf die Balken eines Außendienstmitarbeiters oder die Eingabetaste auf einer Zeile zeigt seine Kunden.</translation>
    </message>
    <message>
        <source>Calls in 90 days</source>
        <translation>Besuche in 90 Tagen</translation>
    </message>
    <message>
        <source>Calls this month</source>
        <translation>Besuche diesen Monat</translation>
    </message>
    <message>
        <source>Calls this month, of plan</source>
        <translation>Besuche diesen Monat, vom Plan</translation>
    </message>
    <message>
        <source>Calls this week</source>
        <translation>Besuche diese Woche</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Abdeckung</translation>
    </message>
    <message>
        <source>Doctors</source>
        <translation>Ärzte</translation>
    </message>
    <message>
        <source>Hospitals and networks with the most affiliated doctors; calls on them and on their doctors by anyone of the team. Press Enter on a row to open it.</source>
        <translation>Kliniken und Netzwerke mit den meisten zugehörigen Ärzten; Besuche dort und bei ihren Ärzten durch das ganze Team. Die Eingabetaste auf einer Zeile öffnet sie.</translation>
    </message>
    <message>
        <source>Key accounts</source>
        <translation>Schlüsselkunden</translation>
    </message>
    <message>
        <source>Last call</source>
        <translation>Letzter Besuch</translation>
    </message>
    <message>
        <source>My team</source>
        <translation>Mein Team</translation>
    </message>
    <message>
        <source>No institution with affiliated doctors on this laptop yet.</source>
        <translation>Noch keine Einrichtung mit zugehörigen Ärzten auf diesem Laptop.</translation>
    </message>
    <message>
        <source>No rep of your team is on this laptop yet: the team arrives with the next sync.</source>
        <translation>Noch kein Außendienstmitarbeiter Ihres Teams auf diesem Laptop: Das Team kommt mit der nächsten Synchronisierung.</translation>
    </message>
    <message>
        <source>Reactions</source>
        <translation>Reaktionen</translation>
    </message>
    <message>
        <source>Rep</source>
        <translation>Außendienst</translation>
    </message>
    <message>
        <source>Suggestions taken up</source>
        <translation>Angenommene Vorschläge</translation>
    </message>
    <message>
        <source>Taken up</source>
        <translation>Angenommen</translation>
    </message>
    <message>
        <source>Territory</source>
        <translation>Gebiet</translation>
    </message>
    <message>
        <source>The team</source>
        <translation>Das Team</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
</context>
</TS>
