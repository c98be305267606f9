<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<!-- German for touchpoints outside systems report through the integration API
     (webinars, website visits, events, e-mails of a marketing platform). -->
<context>
    <name>Fieldrep</name>
    <message>
        <source>Webinar attended</source>
        <translation>Webinar besucht</translation>
    </message>
    <message>
        <source>Website visit</source>
        <translation>Website-Besuch</translation>
    </message>
    <message>
        <source>Registered for an event</source>
        <translation>Zur Veranstaltung angemeldet</translation>
    </message>
    <message>
        <source>E-mail opened</source>
        <translation>E-Mail geöffnet</translation>
    </message>
    <message>
        <source>E-mail link clicked</source>
        <translation>Link in E-Mail geklickt</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>Gemeldet</translation>
    </message>
    <message>
        <source>Reported by {source}</source>
        <translation>Gemeldet von {source}</translation>
    </message>
</context>
</TS>
