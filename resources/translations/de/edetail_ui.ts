<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>Fieldrep</name>
        <message>
            <source>Valid {start} – {end}</source>
            <translation>Gültig {start} – {end}</translation>
        </message>
        <message>
            <source>Approved</source>
            <translation>Freigegeben</translation>
        </message>
        <message>
            <source>Draft, not approved</source>
            <translation>Entwurf, nicht freigegeben</translation>
        </message>
        <message>
            <source>Withdrawn, may not be shown</source>
            <translation>Zurückgezogen, darf nicht gezeigt werden</translation>
        </message>
        <message>
            <source>Not yet valid</source>
            <translation>Noch nicht gültig</translation>
        </message>
        <message>
            <source>Expired</source>
            <translation>Abgelaufen</translation>
        </message>
        <message>
            <source>{count} slides · version {version}</source>
            <translation>{count} Folien · Version {version}</translation>
        </message>
        <message>
            <source>Preview</source>
            <translation>Vorschau</translation>
        </message>
        <message>
            <source>Look through the slides; nothing is recorded</source>
            <translation>Folien ansehen; nichts wird aufgezeichnet</translation>
        </message>
        <message>
            <source>Present</source>
            <translation>Präsentieren</translation>
        </message>
        <message>
            <source>Import…</source>
            <translation>Importieren…</translation>
        </message>
        <message>
            <source>Import a content package (.zip)</source>
            <translation>Ein Inhaltspaket importieren (.zip)</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>No presentations on this laptop yet</source>
            <translation>Noch keine Präsentationen auf diesem Laptop</translation>
        </message>
        <message>
            <source>Content arrives with sync, or import a package from a file.</source>
            <translation>Inhalte kommen mit der Synchronisierung, oder importieren Sie ein Paket aus einer Datei.</translation>
        </message>
        <message>
            <source>Import a content package</source>
            <translation>Inhaltspaket importieren</translation>
        </message>
        <message>
            <source>Content packages (*.zip)</source>
            <translation>Inhaltspakete (*.zip)</translation>
        </message>
        <message>
            <source>Checking “{name}”…</source>
            <translation>„{name}“ wird geprüft …</translation>
        </message>
        <message>
            <source>Show it to a doctor, full screen</source>
            <translation>Einer Ärztin oder einem Arzt im Vollbild zeigen</translation>
        </message>
        <message>
            <source>Library</source>
            <translation>Bibliothek</translation>
        </message>
        <message>
            <source>Approved content can be presented; expired, withdrawn and draft content can only be previewed.</source>
            <translation>Freigegebene Inhalte können präsentiert werden; abgelaufene, zurückgezogene und Entwürfe nur in der Vorschau angesehen.</translation>
        </message>
        <message>
            <source>“{title}” was already on this laptop; nothing changed.</source>
            <translation>„{title}“ war schon auf diesem Laptop; nichts wurde geändert.</translation>
        </message>
        <message>
            <source>“{title}” was imported: {count} slides. Its pages link to files that are not in it, so they may show unstyled or incomplete: {files}. Import it again together with those files (for example its shared folder).</source>
            <translation>„{title}“ wurde importiert: {count} Folien. Seine Seiten verweisen auf Dateien, die nicht darin enthalten sind; sie können deshalb ohne Gestaltung oder unvollständig erscheinen: {files}. Importieren Sie es erneut zusammen mit diesen Dateien (zum Beispiel seinem Ordner „shared“).</translation>
        </message>
        <message>
            <source> and {count} more</source>
            <translation> und {count} weitere</translation>
        </message>
        <message>
            <source>“{title}” was imported: {count} slides.</source>
            <translation>„{title}“ wurde importiert: {count} Folien.</translation>
        </message>
        <message>
            <source>Nothing was imported. {reason}</source>
            <translation>Nichts wurde importiert. {reason}</translation>
        </message>
        <message>
            <source>This presentation has no slides.</source>
            <translation>Diese Präsentation hat keine Folien.</translation>
        </message>
        <message>
            <source>Key message {code} · {title}</source>
            <translation>Kernbotschaft {code} · {title}</translation>
        </message>
        <message>
            <source>Present…</source>
            <translation>Präsentieren…</translation>
        </message>
        <message>
            <source>Show an e-detail; what the doctor saw and answered fills this report</source>
            <translation>Ein E-Detail zeigen; was die Ärztin oder der Arzt gesehen und beantwortet hat, füllt diesen Bericht</translation>
        </message>
        <message>
            <source>Show an e-detail to this doctor; a call report with what was captured opens afterwards</source>
            <translation>Diesem Arzt ein E-Detail zeigen; danach öffnet sich ein Kontaktbericht mit dem Erfassten</translation>
        </message>
        <message>
            <source>Time since the presentation began / on this slide</source>
            <translation>Zeit seit Beginn der Präsentation / auf dieser Folie</translation>
        </message>
        <message>
            <source>Previous</source>
            <translation>Zurück</translation>
        </message>
        <message>
            <source>Previous slide (Left)</source>
            <translation>Vorige Folie (Links)</translation>
        </message>
        <message>
            <source>Next</source>
            <translation>Weiter</translation>
        </message>
        <message>
            <source>Next slide (Right, Space)</source>
            <translation>Nächste Folie (Rechts, Leertaste)</translation>
        </message>
        <message>
            <source>M Asked for more</source>
            <translation>M Mehr gewünscht</translation>
        </message>
        <message>
            <source>The doctor asked for more (M)</source>
            <translation>Der Arzt wünscht mehr dazu (M)</translation>
        </message>
        <message>
            <source>End</source>
            <translation>Beenden</translation>
        </message>
        <message>
            <source>End the presentation (Esc)</source>
            <translation>Präsentation beenden (Esc)</translation>
        </message>
        <message>
            <source>The doctor's reaction ({key})</source>
            <translation>Reaktion des Arztes ({key})</translation>
        </message>
        <message>
            <source>Present an e-detail</source>
            <translation>E-Detail präsentieren</translation>
        </message>
        <message>
            <source>Loading the library…</source>
            <translation>Bibliothek wird geladen …</translation>
        </message>
        <message>
            <source>Cannot present</source>
            <translation>Präsentieren nicht möglich</translation>
        </message>
        <message>
            <source>Choose what to show; the doctor sees only the slides.</source>
            <translation>Wählen Sie, was Sie zeigen; der Arzt sieht nur die Folien.</translation>
        </message>
        <message>
            <source>No presentation may be shown today. The library lists what is on this laptop.</source>
            <translation>Heute darf keine Präsentation gezeigt werden. Die Bibliothek zeigt, was auf diesem Laptop ist.</translation>
        </message>
        <message>
            <source>{count} slides</source>
            <translation>{count} Folien</translation>
        </message>
        <message>
            <source>The doctor's answer</source>
            <translation>Antwort des Arztes</translation>
        </message>
        <message>
            <source>Presentation</source>
            <translation>Präsentation</translation>
        </message>
        <message>
            <source>Presenter console</source>
            <translation>Referentenansicht</translation>
        </message>
        <message>
            <source>On the doctor's screen</source>
            <translation>Auf dem Bildschirm des Arztes</translation>
        </message>
        <message>
            <source>Library (Ctrl+3)</source>
            <translation>Bibliothek (Strg+3)</translation>
        </message>
        <message>
            <source>&amp;Library</source>
            <translation>&amp;Bibliothek</translation>
        </message>
        <message>
            <source>Screen {n}: {name} ({width} × {height})</source>
            <translation>Bildschirm {n}: {name} ({width} × {height})</translation>
        </message>
        <message>
            <source>The doctor's screen:</source>
            <translation>Bildschirm des Arztes:</translation>
        </message>
        <message>
        <source>Arrives with the next sync</source>
        <translation>Kommt mit der nächsten Synchronisierung</translation>
    </message>
    <message>
        <source>The files of “{title}” are not on this laptop (withdrawn, or not yet downloaded): sync to fetch them.</source>
        <translation>Die Dateien von „{title}“ sind nicht auf diesem Laptop (zurückgezogen oder noch nicht geladen): synchronisieren Sie, um sie zu holen.</translation>
    </message>
    <message>
        <source>Content packages and CLM key messages (*.zip)</source>
        <translation>Inhaltspakete und CLM-Key-Messages (*.zip)</translation>
    </message>
    <message>
        <source>Folder of CLM key messages…</source>
        <translation>Ordner mit CLM-Key-Messages …</translation>
    </message>
    <message>
        <source>Import a content package, or CLM key messages</source>
        <translation>Ein Inhaltspaket oder CLM-Key-Messages importieren</translation>
    </message>
    <message>
        <source>Import a folder of CLM key messages</source>
        <translation>Einen Ordner mit CLM-Key-Messages importieren</translation>
    </message>
    <message>
        <source>Package or key message (.zip)…</source>
        <translation>Paket oder Key Message (.zip) …</translation>
    </message>
    <message>
        <source>Choose the product the content is for.</source>
        <translation>Wählen Sie das Produkt, für das der Inhalt ist.</translation>
    </message>
    <message>
        <source>Content id</source>
        <translation>Inhalts-ID</translation>
    </message>
    <message>
        <source>Give the content an id and a version.</source>
        <translation>Geben Sie dem Inhalt eine ID und eine Version.</translation>
    </message>
    <message>
        <source>Give the presentation a title.</source>
        <translation>Geben Sie der Präsentation einen Titel.</translation>
    </message>
    <message>
        <source>Import CLM content</source>
        <translation>CLM-Inhalt importieren</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>Key messages (ticked ones are imported, top to bottom):</source>
        <translation>Key Messages (angehakte werden importiert, von oben nach unten):</translation>
    </message>
    <message>
        <source>Key messages in presentation order</source>
        <translation>Key Messages in Präsentationsreihenfolge</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>The validity ends before it begins.</source>
        <translation>Die Gültigkeit endet, bevor sie beginnt.</translation>
    </message>
    <message>
        <source>Tick at least one key message.</source>
        <translation>Haken Sie mindestens eine Key Message an.</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>Gültig ab</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>Gültig bis</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>“{name}” has no manifest: say what it is, and in which order its key messages are shown.</source>
        <translation>„{name}“ hat kein Manifest: Geben Sie an, was es ist und in welcher Reihenfolge die Key Messages gezeigt werden.</translation>
    </message>
    <message>
        <source>E-detailing tracking</source>
        <translation>E-Detailing-Tracking</translation>
    </message>
    <message>
        <source>Without it, what the doctor does during a presentation is stored without the doctor's name.</source>
        <translation>Ohne sie wird, was der Arzt während einer Präsentation tut, ohne seinen Namen gespeichert.</translation>
    </message>
</context>
</TS>
