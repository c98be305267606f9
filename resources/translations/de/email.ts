<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<!-- German for approved e-mail (docs/email.md): the compose dialog and the rules
     the laptop and the server refuse an e-mail with. -->
<context>
    <name>Fieldrep</name>
    <message>
        <source>{name} has no e-mail address: record one first.</source>
        <translation>{name} hat keine E-Mail-Adresse: erfassen Sie zuerst eine.</translation>
    </message>
    <message>
        <source>This e-mail template is not approved: it cannot be sent.</source>
        <translation>Diese E-Mail-Vorlage ist nicht freigegeben: sie kann nicht gesendet werden.</translation>
    </message>
    <message>
        <source>This template allows no text of your own.</source>
        <translation>Diese Vorlage erlaubt keinen eigenen Text.</translation>
    </message>
    <message>
        <source>{name} had {count} contacts in the last {days} days: the cap is {cap}. Send the e-mail later.</source>
        <translation>{name} hatte {count} Kontakte in den letzten {days} Tagen: die Obergrenze ist {cap}. Senden Sie die E-Mail später.</translation>
    </message>
    <message>
        <source>This e-mail template is not valid on {day} (valid {start} to {end}): it cannot be sent.</source>
        <translation>Diese E-Mail-Vorlage gilt am {day} nicht (gültig {start} bis {end}): sie kann nicht gesendet werden.</translation>
    </message>
    <message>
        <source>Your paragraph may have at most {n} characters.</source>
        <translation>Ihr Absatz darf höchstens {n} Zeichen haben.</translation>
    </message>
    <message>
        <source>This template has no wording for {variant}.</source>
        <translation>Diese Vorlage hat keine Fassung für {variant}.</translation>
    </message>
    <message>
        <source>Your paragraph may not contain links or addresses: only the template's links are sent.</source>
        <translation>Ihr Absatz darf keine Links oder Adressen enthalten: gesendet werden nur die Links der Vorlage.</translation>
    </message>
    <message>
        <source>No e-mail consent recorded.</source>
        <translation>Keine E-Mail-Einwilligung erfasst.</translation>
    </message>
    <message>
        <source>E-mail consent granted on {date} ({source}).</source>
        <translation>E-Mail-Einwilligung erteilt am {date} ({source}).</translation>
    </message>
    <message>
        <source>E-mail consent withdrawn on {date} ({source}).</source>
        <translation>E-Mail-Einwilligung widerrufen am {date} ({source}).</translation>
    </message>
    <message>
        <source>This account is no longer on this computer.</source>
        <translation>Dieser Kunde ist nicht mehr auf diesem Computer.</translation>
    </message>
    <message>
        <source>source not recorded</source>
        <translation>Quelle nicht erfasst</translation>
    </message>
    <message>
        <source>Send e-mail…</source>
        <translation>E-Mail senden …</translation>
    </message>
    <message>
        <source>Send an approved e-mail to this account</source>
        <translation>Diesem Kunden eine freigegebene E-Mail senden</translation>
    </message>
    <message>
        <source>E-mail to {name}</source>
        <translation>E-Mail an {name}</translation>
    </message>
    <message>
        <source>A few words of your own (no links), at most {n} characters</source>
        <translation>Ein paar eigene Worte (keine Links), höchstens {n} Zeichen</translation>
    </message>
    <message>
        <source>Your paragraph</source>
        <translation>Ihr Absatz</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>To</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <source>Wording</source>
        <translation>Fassung</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Approved e-mail</source>
        <translation>Freigegebene E-Mail</translation>
    </message>
    <message>
        <source>What the doctor gets</source>
        <translation>Was der Arzt erhält</translation>
    </message>
    <message>
        <source>No approved e-mail template is valid today.</source>
        <translation>Heute ist keine freigegebene E-Mail-Vorlage gültig.</translation>
    </message>
</context>
</TS>
