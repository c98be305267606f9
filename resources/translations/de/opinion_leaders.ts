<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>1 affiliation</source>
        <translation>1 Zugehörigkeit</translation>
    </message>
    <message>
        <source>{count} affiliations</source>
        <translation>{count} Zugehörigkeiten</translation>
    </message>
    <message>
        <source>Doctor</source>
        <translation>Arzt</translation>
    </message>
    <message>
        <source>Doctors the affiliation network ranks high whom nobody called in six months. Press Enter to open one.</source>
        <translation>Ärzte mit hohem Ansehen im Netzwerk ihrer Einrichtungen, die seit sechs Monaten niemand besucht hat. Die Eingabetaste öffnet einen.</translation>
    </message>
    <message>
        <source>New opinion leaders</source>
        <translation>Neue Meinungsbildner</translation>
    </message>
    <message>
        <source>No new opinion leaders: every doctor of high standing was called in the last six months.</source>
        <translation>Keine neuen Meinungsbildner: Jeder Arzt mit hohem Ansehen wurde in den letzten sechs Monaten besucht.</translation>
    </message>
    <message>
        <source>The opinion leaders could not be read: {reason}</source>
        <translation>Die Meinungsbildner konnten nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <source>attended 1 event</source>
        <translation>bei 1 Veranstaltung</translation>
    </message>
    <message>
        <source>attended {count} events</source>
        <translation>bei {count} Veranstaltungen</translation>
    </message>
    <message>
        <source>last call {date}</source>
        <translation>letzter Besuch {date}</translation>
    </message>
    <message>
        <source>never called</source>
        <translation>noch nie besucht</translation>
    </message>
    <message>
        <source>{count} colleagues at the same institutions</source>
        <translation>{count} Kollegen in denselben Einrichtungen</translation>
    </message>
    <message>
        <source>{role} at {institution}</source>
        <translation>{role}, {institution}</translation>
    </message>
</context>
</TS>
