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
        <translation>„{value}“ ist kein Ort: Geben Sie Breiten- und Längengrad ein, z. B. 50.94, 6.96.</translation>
    </message>
    <message>
        <source>Previous week</source>
        <translation>Vorige Woche</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Diese Woche</translation>
    </message>
    <message>
        <source>Next week</source>
        <translation>Nächste Woche</translation>
    </message>
    <message>
        <source>Export week…</source>
        <translation>Woche exportieren…</translation>
    </message>
    <message>
        <source>Save the week as an iCalendar file (.ics)</source>
        <translation>Die Woche als iCalendar-Datei (.ics) speichern</translation>
    </message>
    <message>
        <source>Export day…</source>
        <translation>Tag exportieren…</translation>
    </message>
    <message>
        <source>Save the selected day as an iCalendar file (.ics)</source>
        <translation>Den gewählten Tag als iCalendar-Datei (.ics) speichern</translation>
    </message>
    <message>
        <source>Week calendar</source>
        <translation>Wochenkalender</translation>
    </message>
    <message>
        <source>Week of {date}</source>
        <translation>Woche ab {date}</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Kalender</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <source>Drag to another time to move it</source>
        <translation>Zum Verschieben auf eine andere Zeit ziehen</translation>
    </message>
    <message>
        <source>Export as iCalendar</source>
        <translation>Als iCalendar exportieren</translation>
    </message>
    <message>
        <source>iCalendar (*.ics)</source>
        <translation>iCalendar (*.ics)</translation>
    </message>
    <message>
        <source>Plan a contact</source>
        <translation>Kontakt planen</translation>
    </message>
    <message>
        <source>With</source>
        <translation>Mit</translation>
    </message>
    <message>
        <source>How</source>
        <translation>Wie</translation>
    </message>
    <message>
        <source>What about (optional)</source>
        <translation>Worum es geht (optional)</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Plan route</source>
        <translation>Route planen</translation>
    </message>
    <message>
        <source>Order the visits for the least travel, keeping the fixed ones at their time</source>
        <translation>Die Besuche mit den kürzesten Wegen ordnen; feste Termine bleiben zu ihrer Zeit</translation>
    </message>
    <message>
        <source>Cancel visit</source>
        <translation>Besuch absagen</translation>
    </message>
    <message>
        <source>Save times</source>
        <translation>Zeiten übernehmen</translation>
    </message>
    <message>
        <source>Give each visit the start time of the route</source>
        <translation>Jedem Besuch die Anfangszeit der Route geben</translation>
    </message>
    <message>
        <source>Visits in route order</source>
        <translation>Besuche in der Reihenfolge der Route</translation>
    </message>
    <message>
        <source>Map of the day's route</source>
        <translation>Karte der Tagesroute</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Längengrad</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Breitengrad</translation>
    </message>
    <message>
        <source>No visits planned in person on this day.</source>
        <translation>An diesem Tag sind keine persönlichen Besuche geplant.</translation>
    </message>
    <message>
        <source>{count} visits, {km} km, back at {time}.</source>
        <translation>{count} Besuche, {km} km, zurück um {time}.</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>{number}. {start} {name} ({km} km){late}</source>
        <translation>{number}. {start} {name} ({km} km){late}</translation>
    </message>
    <message>
        <source>Tick to keep this visit at its time</source>
        <translation>Anhaken, um diesen Besuch zu seiner Zeit festzuhalten</translation>
    </message>
    <message>
        <source>Without coordinates, not in the route: {names}.</source>
        <translation>Ohne Koordinaten, nicht in der Route: {names}.</translation>
    </message>
    <message>
        <source>{minutes} min late</source>
        <translation>{minutes} Min. zu spät</translation>
    </message>
    <message>
        <source>The fixed times cannot all be kept: {minutes} minutes late in all.</source>
        <translation>Die festen Termine lassen sich nicht alle halten: insgesamt {minutes} Minuten zu spät.</translation>
    </message>
    <message>
        <source>No start address in the settings: the route starts at the first visit.</source>
        <translation>Keine Startadresse in den Einstellungen: Die Route beginnt beim ersten Besuch.</translation>
    </message>
    <message>
        <source>The week's planned contacts and tasks</source>
        <translation>Die geplanten Kontakte und Aufgaben der Woche</translation>
    </message>
    <message>
        <source>The day's visits in order</source>
        <translation>Die Besuche des Tages in ihrer Reihenfolge</translation>
    </message>
    <message>
        <source>Plan a contact…</source>
        <translation>Kontakt planen…</translation>
    </message>
    <message>
        <source>Put a visit, call, video call, e-mail or event with this account in the calendar</source>
        <translation>Einen Besuch, Anruf, Videoanruf, eine E-Mail oder Veranstaltung mit diesem Konto in den Kalender eintragen</translation>
    </message>
    <message>
        <source>Start of the day's route</source>
        <translation>Beginn der Tagesroute</translation>
    </message>
    <message>
        <source>e.g. 50.94, 6.96</source>
        <translation>z. B. 50.94, 6.96</translation>
    </message>
    <message>
        <source>Where your working day starts and ends, as latitude and longitude. Empty: the route starts at the first visit.</source>
        <translation>Wo Ihr Arbeitstag beginnt und endet, als Breiten- und Längengrad. Leer: Die Route beginnt beim ersten Besuch.</translation>
    </message>
</context>
</TS>
