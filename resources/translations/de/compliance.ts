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
    <message>
        <source>Only a visit in person can be marked as not received.</source>
        <translation>Nur ein persönlicher Besuch kann als nicht empfangen markiert werden.</translation>
    </message>
    <message>
        <source>A call marked not received records no products, key messages or samples: the doctor was not there to receive them.</source>
        <translation>Ein als nicht empfangen markierter Besuch enthält keine Produkte, Kernbotschaften oder Muster: Der Arzt war nicht da, um sie entgegenzunehmen.</translation>
    </message>
</context>
</TS>
