<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>An attendee is not an account of your territories: remove the attendee.</source>
        <translation>Ein Teilnehmer gehört nicht zu Ihren Gebieten: Entfernen Sie ihn.</translation>
    </message>
    <message>
        <source>Samples can only be given to accounts of your territories.</source>
        <translation>Muster dürfen nur an Kunden Ihrer Gebiete abgegeben werden.</translation>
    </message>
    <message>
        <source>Enter a date between the years {first} and {last}.</source>
        <translation>Geben Sie ein Datum zwischen den Jahren {first} und {last} ein.</translation>
    </message>
</context>
</TS>
