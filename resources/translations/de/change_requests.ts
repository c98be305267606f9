<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<!-- German for master-data change requests: the rep's dialog and card on the account, the
     data steward's list, and the rules a proposed value must keep (docs/change-requests.md). -->
<context>
    <name>Fieldrep</name>
    <message>
        <source>{field} must be text</source>
        <translation>{field} muss Text sein</translation>
    </message>
    <message>
        <source>{field} contains control characters</source>
        <translation>{field} enthält Steuerzeichen</translation>
    </message>
    <message>
        <source>{field} is longer than {limit} characters</source>
        <translation>{field} ist länger als {limit} Zeichen</translation>
    </message>
    <message>
        <source>postcode must be five digits (German postcode), not {value}</source>
        <translation>Die Postleitzahl muss aus fünf Ziffern bestehen (deutsche Postleitzahl), nicht {value}</translation>
    </message>
    <message>
        <source>email {value} is not an e-mail address</source>
        <translation>{value} ist keine E-Mail-Adresse</translation>
    </message>
    <message>
        <source>phone may hold digits, spaces and + - / ( ) only</source>
        <translation>Die Telefonnummer darf nur Ziffern, Leerzeichen und + - / ( ) enthalten</translation>
    </message>
    <message>
        <source>unknown kind of change request: {kind}</source>
        <translation>Unbekannte Art von Änderungsantrag: {kind}</translation>
    </message>
    <message>
        <source>{field} is not master data: only {fields} can be requested</source>
        <translation>{field} gehört nicht zu den Stammdaten: beantragt werden können nur {fields}</translation>
    </message>
    <message>
        <source>{field} cannot be emptied</source>
        <translation>{field} kann nicht geleert werden</translation>
    </message>
    <message>
        <source>the change request changes nothing</source>
        <translation>Der Änderungsantrag ändert nichts</translation>
    </message>
    <message>
        <source>changes must be a JSON object of field -&gt; old and new value</source>
        <translation>Die Änderungen müssen ein JSON-Objekt aus Feld -&gt; altem und neuem Wert sein</translation>
    </message>
    <message>
        <source>a new doctor needs {field}</source>
        <translation>Ein neuer Arzt braucht {field}</translation>
    </message>
    <message>
        <source>specialty_id {value} names no known specialty</source>
        <translation>Die Fachrichtung {value} ist unbekannt</translation>
    </message>
    <message>
        <source>This change request no longer exists.</source>
        <translation>Diesen Änderungsantrag gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>The change requests are on the server: set it up with File › Sync now.</source>
        <translation>Die Änderungsanträge liegen auf dem Server: richten Sie ihn unter Datei › Jetzt synchronisieren ein.</translation>
    </message>
    <message>
        <source>This change request is someone else's: only they can withdraw it.</source>
        <translation>Dieser Änderungsantrag gehört jemand anderem: nur diese Person kann ihn zurückziehen.</translation>
    </message>
    <message>
        <source>This change request was decided already: it can no longer be withdrawn.</source>
        <translation>Über diesen Änderungsantrag wurde schon entschieden: er kann nicht mehr zurückgezogen werden.</translation>
    </message>
    <message>
        <source>A rejection needs a reason: the rep reads it.</source>
        <translation>Eine Ablehnung braucht eine Begründung: der Außendienst liest sie.</translation>
    </message>
    <message>
        <source>The change requests could not be read: {reason}</source>
        <translation>Die Änderungsanträge konnten nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <source>The change request was not decided: {reason}</source>
        <translation>Über den Änderungsantrag wurde nicht entschieden: {reason}</translation>
    </message>
    <message>
        <source>Refused by the server</source>
        <translation>Vom Server abgelehnt</translation>
    </message>
    <message>
        <source>Request a change of master data</source>
        <translation>Änderung der Stammdaten beantragen</translation>
    </message>
    <message>
        <source>Name, address and specialty are kept by the data steward. Change what is wrong; the steward gets the request with the next sync and decides. You see the decision on this account.</source>
        <translation>Name, Adresse und Fachrichtung pflegt das Stammdatenmanagement. Ändern Sie, was falsch ist; der Antrag geht mit der nächsten Synchronisierung hin, dort wird entschieden. Die Entscheidung sehen Sie bei diesem Kunden.</translation>
    </message>
    <message>
        <source>Why: what you learned, and from whom</source>
        <translation>Warum: was Sie erfahren haben, und von wem</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>Send request</source>
        <translation>Antrag senden</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>{field}: {old} → {new}</source>
        <translation>{field}: {old} → {new}</translation>
    </message>
    <message>
        <source>Master data</source>
        <translation>Stammdaten</translation>
    </message>
    <message>
        <source>Request a change…</source>
        <translation>Änderung beantragen…</translation>
    </message>
    <message>
        <source>Ask the data steward to correct the name, address or specialty</source>
        <translation>Das Stammdatenmanagement bitten, Name, Adresse oder Fachrichtung zu korrigieren</translation>
    </message>
    <message>
        <source>Change requests</source>
        <translation>Änderungsanträge</translation>
    </message>
    <message>
        <source>&amp;Withdraw the request</source>
        <translation>Antrag &amp;zurückziehen</translation>
    </message>
    <message>
        <source>No change requests for this account.</source>
        <translation>Keine Änderungsanträge für diesen Kunden.</translation>
    </message>
    <message>
        <source>Address line 2</source>
        <translation>Adresszusatz</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Angenommen</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Now: {value}</source>
        <translation>Jetzt: {value}</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Beantragt</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stand</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>The server refused it: {reason}</source>
        <translation>Der Server hat ihn abgelehnt: {reason}</translation>
    </message>
    <message>
        <source>Rejected: {reason}</source>
        <translation>Abgelehnt: {reason}</translation>
    </message>
    <message>
        <source>Accepted: the new values come with the sync.</source>
        <translation>Angenommen: die neuen Werte kommen mit der Synchronisierung.</translation>
    </message>
    <message>
        <source>Waiting for the data steward.</source>
        <translation>Wartet auf das Stammdatenmanagement.</translation>
    </message>
    <message>
        <source>Reps ask to correct master data. Check each change, then accept it (the account changes on every laptop with its next sync) or reject it with a reason the rep reads.</source>
        <translation>Der Außendienst beantragt Korrekturen der Stammdaten. Prüfen Sie jede Änderung und nehmen Sie sie an (der Kunde ändert sich auf jedem Laptop mit der nächsten Synchronisierung) oder lehnen Sie sie mit einer Begründung ab, die der Außendienst liest.</translation>
    </message>
    <message>
        <source>Pending change requests</source>
        <translation>Offene Änderungsanträge</translation>
    </message>
    <message>
        <source>Proposed values</source>
        <translation>Beantragte Werte</translation>
    </message>
    <message>
        <source>Reason (needed to reject; the rep reads it)</source>
        <translation>Begründung (nötig zum Ablehnen; der Außendienst liest sie)</translation>
    </message>
    <message>
        <source>&amp;Reject</source>
        <translation>A&amp;blehnen</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <source>No pending change requests.</source>
        <translation>Keine offenen Änderungsanträge.</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Felder</translation>
    </message>
    <message>
        <source>The rep saw</source>
        <translation>Gesehen</translation>
    </message>
    <message>
        <source>Proposed</source>
        <translation>Beantragt</translation>
    </message>
    <message>
        <source>On the server now</source>
        <translation>Jetzt auf dem Server</translation>
    </message>
    <message>
        <source>The rep's comment: {comment}</source>
        <translation>Kommentar des Außendiensts: {comment}</translation>
    </message>
    <message>
        <source>New doctor</source>
        <translation>Neuer Arzt</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anträge</translation>
    </message>
    <message>
        <source>Master-data change requests to decide (Ctrl+4)</source>
        <translation>Zu entscheidende Änderungsanträge für Stammdaten (Strg+4)</translation>
    </message>
    <message>
        <source>Withdrawn by the rep</source>
        <translation>Vom Außendienst zurückgezogen</translation>
    </message>
    <message>
        <source>The server did not take this master-data change request: {reason}</source>
        <translation>Der Server hat diesen Änderungsantrag für Stammdaten nicht angenommen: {reason}</translation>
    </message>
    <message>
        <source>Open the account and request the change again with a correct value, then dismiss this.</source>
        <translation>Öffnen Sie den Kunden und beantragen Sie die Änderung mit einem korrekten Wert erneut; dann blenden Sie dies aus.</translation>
    </message>
    <message>
        <source>Change request</source>
        <translation>Änderungsantrag</translation>
    </message>
    <message>
        <source>Request a new doctor</source>
        <translation>Neuen Arzt beantragen</translation>
    </message>
    <message>
        <source>A doctor who is not in your accounts yet: the data steward checks and adds them with the next sync, in your territory.</source>
        <translation>Ein Arzt, der noch nicht bei Ihren Kunden ist: das Stammdatenmanagement prüft ihn und legt ihn mit der nächsten Synchronisierung in Ihrem Gebiet an.</translation>
    </message>
    <message>
        <source>Request a &amp;new doctor…</source>
        <translation>&amp;Neuen Arzt beantragen…</translation>
    </message>
    <message>
        <source>A new doctor goes into your territory, and this laptop knows none of yours: sync first.</source>
        <translation>Ein neuer Arzt kommt in Ihr Gebiet, und dieser Laptop kennt keines Ihrer Gebiete: synchronisieren Sie zuerst.</translation>
    </message>
</context>
</TS>
