<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>Monday</source>
        <translation>Montag</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Dienstag</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Mittwoch</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Donnerstag</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Freitag</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Samstag</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Sonntag</translation>
    </message>
    <message>
        <source>Opening hours: at most {count} characters.</source>
        <translation>Sprechzeiten: höchstens {count} Zeichen.</translation>
    </message>
    <message>
        <source>Opening hours: cannot read “{part}”; write days and times like “{example}”.</source>
        <translation>Sprechzeiten: „{part}“ ist nicht lesbar; schreiben Sie Tage und Zeiten wie „{example}“.</translation>
    </message>
    <message>
        <source>Opening hours: on {day} {first} and {second} overlap.</source>
        <translation>Sprechzeiten: Am {day} überschneiden sich {first} und {second}.</translation>
    </message>
    <message>
        <source>Opening hours: “{days}” needs its times, like “{days} 08:00-12:00”.</source>
        <translation>Sprechzeiten: Zu „{days}“ fehlen die Zeiten, etwa „{days} 08:00-12:00“.</translation>
    </message>
    <message>
        <source>Opening hours: “{day}” is not a day; write Mo, Di, Mi, Do, Fr, Sa, So (or Tu, We, Th, Su).</source>
        <translation>Sprechzeiten: „{day}“ ist kein Tag; schreiben Sie Mo, Di, Mi, Do, Fr, Sa, So (oder Tu, We, Th, Su).</translation>
    </message>
    <message>
        <source>Opening hours: “{span}” ends before it starts.</source>
        <translation>Sprechzeiten: „{span}“ endet, bevor es beginnt.</translation>
    </message>
    <message>
        <source>Opening hours: “{time}” is not a time of day.</source>
        <translation>Sprechzeiten: „{time}“ ist keine Uhrzeit.</translation>
    </message>
    <message>
        <source>{name} is closed on this day (opening hours: {hours}).</source>
        <translation>{name} hat an diesem Tag geschlossen (Sprechzeiten: {hours}).</translation>
    </message>
    <message>
        <source>{name}: {time} is outside the opening hours ({hours}).</source>
        <translation>{name}: {time} liegt außerhalb der Sprechzeiten ({hours}).</translation>
    </message>
    <message>
        <source>1 of {target} calls this quarter</source>
        <translation>1 von {target} Besuchen in diesem Quartal</translation>
    </message>
    <message>
        <source>{calls} of {target} calls by {end}</source>
        <translation>{calls} von {target} Besuchen bis {end}</translation>
    </message>
    <message>
        <source>{calls} of {target} calls this quarter</source>
        <translation>{calls} von {target} Besuchen in diesem Quartal</translation>
    </message>
    <message>
        <source>{channel}: {calls} of {target}</source>
        <translation>{channel}: {calls} von {target}</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>Sprechzeiten</translation>
    </message>
    <message>
        <source>Cycle plan until {end}: {calls} of {target} calls</source>
        <translation>Zyklusplan bis {end}: {calls} von {target} Besuchen</translation>
    </message>
    <message>
        <source>Cycle plan</source>
        <translation>Zyklusplan</translation>
    </message>
    <message>
        <source>{calls} of {target}</source>
        <translation>{calls} von {target}</translation>
    </message>
    <message>
        <source>{subject} — {account}</source>
        <translation>{subject} — {account}</translation>
    </message>
    <message>
        <source>⚠ {time} is outside the opening hours ({hours}); you may plan it all the same.</source>
        <translation>⚠ {time} liegt außerhalb der Sprechzeiten ({hours}); Sie können den Termin trotzdem planen.</translation>
    </message>
</context>
</TS>
