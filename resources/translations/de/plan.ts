<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>Only a planned call can be moved; this one is already reported.</source>
        <translation>Nur ein geplanter Besuch lässt sich verschieben; dieser ist schon berichtet.</translation>
    </message>
    <message>
        <source>“{value}” is not a place: enter latitude and longitude, e.g. 50.94, 6.96.</source>
        <translation>„{value}“ ist kein Ort: Geben Sie Breiten- und Längengrad ein, z. B. 50,94, 6,96.</translation>
    </message>
</context>
</TS>
