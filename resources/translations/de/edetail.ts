<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>Fieldrep</name>
        <message>
            <source>{name} is not a file.</source>
            <translation>{name} ist keine Datei.</translation>
        </message>
        <message>
            <source>{name} is not a content package: it is not a zip file, or it is incomplete (a download cut short?).</source>
            <translation>{name} ist kein Inhaltspaket: Es ist keine ZIP-Datei oder unvollständig (ein abgebrochener Download?).</translation>
        </message>
        <message>
            <source>{name} holds more than {n} files.</source>
            <translation>{name} enthält mehr als {n} Dateien.</translation>
        </message>
        <message>
            <source>{name} is refused: it would unpack to more than {mb} MB.</source>
            <translation>{name} wird abgelehnt: Entpackt wäre es größer als {mb} MB.</translation>
        </message>
        <message>
            <source>{name} is refused: it is compressed suspiciously well (a zip bomb?).</source>
            <translation>{name} wird abgelehnt: Es ist verdächtig stark komprimiert (eine ZIP-Bombe?).</translation>
        </message>
        <message>
            <source>{name} is damaged and cannot be read ({error}).</source>
            <translation>{name} ist beschädigt und kann nicht gelesen werden ({error}).</translation>
        </message>
        <message>
            <source>{name} is refused: the file name “{member}” points outside the package.</source>
            <translation>{name} wird abgelehnt: Der Dateiname „{member}“ zeigt aus dem Paket hinaus.</translation>
        </message>
        <message>
            <source>{name} is refused: “{member}” is a link, and packages may not contain links.</source>
            <translation>{name} wird abgelehnt: „{member}“ ist eine Verknüpfung, und Pakete dürfen keine Verknüpfungen enthalten.</translation>
        </message>
        <message>
            <source>{name} is refused: “{member}” is encrypted.</source>
            <translation>{name} wird abgelehnt: „{member}“ ist verschlüsselt.</translation>
        </message>
        <message>
            <source>{name} is refused: it holds “{member}” twice.</source>
            <translation>{name} wird abgelehnt: Es enthält „{member}“ zweimal.</translation>
        </message>
        <message>
            <source>{name} is refused: “{member}” would unpack to more than {mb} MB.</source>
            <translation>{name} wird abgelehnt: „{member}“ wäre entpackt größer als {mb} MB.</translation>
        </message>
        <message>
            <source>{name} is refused: “{member}” is compressed suspiciously well (a zip bomb?).</source>
            <translation>{name} wird abgelehnt: „{member}“ ist verdächtig stark komprimiert (eine ZIP-Bombe?).</translation>
        </message>
        <message>
            <source>“{title}” was withdrawn and may no longer be presented.</source>
            <translation>„{title}“ wurde zurückgezogen und darf nicht mehr präsentiert werden.</translation>
        </message>
        <message>
            <source>“{title}” is not approved yet and may not be presented.</source>
            <translation>„{title}“ ist noch nicht freigegeben und darf nicht präsentiert werden.</translation>
        </message>
        <message>
            <source>“{title}” may be presented from {date} on.</source>
            <translation>„{title}“ darf ab {date} präsentiert werden.</translation>
        </message>
        <message>
            <source>“{title}” expired on {date} and may no longer be presented.</source>
            <translation>„{title}“ ist am {date} abgelaufen und darf nicht mehr präsentiert werden.</translation>
        </message>
        <message>
            <source>“{value}” is not an answer to “{question}”.</source>
            <translation>„{value}“ ist keine Antwort auf „{question}“.</translation>
        </message>
        <message>
            <source>This presentation session does not exist.</source>
            <translation>Diese Präsentationssitzung gibt es nicht.</translation>
        </message>
        <message>
            <source>This presentation has ended; start it again to go on.</source>
            <translation>Diese Präsentation ist beendet; starten Sie sie neu, um weiterzumachen.</translation>
        </message>
        <message>
            <source>This slide view does not exist.</source>
            <translation>Diese Folienansicht gibt es nicht.</translation>
        </message>
        <message>
            <source>“{value}” is not a reaction.</source>
            <translation>„{value}“ ist keine Reaktion.</translation>
        </message>
        <message>
            <source>This presentation is not on this laptop.</source>
            <translation>Diese Präsentation ist nicht auf diesem Laptop.</translation>
        </message>
        <message>
            <source>The account does not exist on this laptop.</source>
            <translation>Das Konto ist auf diesem Laptop nicht vorhanden.</translation>
        </message>
        <message>
            <source>This slide is not part of the presentation.</source>
            <translation>Diese Folie gehört nicht zur Präsentation.</translation>
        </message>
        <message>
            <source>The slide has no question “{question}”.</source>
            <translation>Die Folie hat keine Frage „{question}“.</translation>
        </message>
        <message>
            <source>A click-stream record has no field {name}.</source>
            <translation>Ein Klickprotokoll-Eintrag hat kein Feld {name}.</translation>
        </message>
        <message>
            <source>This record was not made in this presentation.</source>
            <translation>Dieser Eintrag wurde nicht in dieser Präsentation angelegt.</translation>
        </message>
        <message>
            <source>A usage duration cannot be negative.</source>
            <translation>Eine Nutzungsdauer kann nicht negativ sein.</translation>
        </message>
        <message>
            <source>No slide is on screen yet.</source>
            <translation>Es wird noch keine Folie gezeigt.</translation>
        </message>
        <message>
            <source>The call does not belong to this account.</source>
            <translation>Der Besuch gehört nicht zu diesem Kunden.</translation>
        </message>
        <message>
            <source>{name} is not a CLM key message: it has no {entry} at its top level.</source>
            <translation>{name} ist keine CLM-Kernbotschaft: Es fehlt {entry} auf oberster Ebene.</translation>
        </message>
        <message>
            <source>There are no key messages to import.</source>
            <translation>Es gibt keine Kernbotschaften zu importieren.</translation>
        </message>
        <message>
            <source>{file}, line {line}: write “name | key message | topic | title” (all but the name may be left out).</source>
            <translation>{file}, Zeile {line}: Schreiben Sie „Name | Kernbotschaft | Thema | Titel“ (alles außer dem Namen darf fehlen).</translation>
        </message>
        <message>
            <source>The key message “{name}” is there twice (as a folder and as a zip).</source>
            <translation>Die Kernbotschaft „{name}“ ist zweimal vorhanden (als Ordner und als ZIP).</translation>
        </message>
        <message>
            <source>The key message “{name}” is listed, but there is no {name}.zip or folder {name}.</source>
            <translation>Die Kernbotschaft „{name}“ ist aufgeführt, aber es gibt weder {name}.zip noch einen Ordner {name}.</translation>
        </message>
        <message>
            <source>The key message “{name}” is listed twice.</source>
            <translation>Die Kernbotschaft „{name}“ ist zweimal aufgeführt.</translation>
        </message>
        <message>
            <source>“{name}” cannot be a key message name (letters, digits, “.”, “_”, “-” and spaces only).</source>
            <translation>„{name}“ kann kein Name einer Kernbotschaft sein (nur Buchstaben, Ziffern, „.“, „_“, „-“ und Leerzeichen).</translation>
        </message>
        <message>
            <source>{name} is neither a zip file nor a folder.</source>
            <translation>{name} ist weder eine ZIP-Datei noch ein Ordner.</translation>
        </message>
        <message>
            <source>{name} is damaged: {file} cannot be unpacked ({error}).</source>
            <translation>{name} ist beschädigt: {file} lässt sich nicht entpacken ({error}).</translation>
        </message>
        <message>
            <source>The manifest is not valid: {where} {problem}</source>
            <translation>Das Manifest ist ungültig: {where} {problem}</translation>
        </message>
        <message>
            <source>must be a non-empty text.</source>
            <translation>muss ein nicht leerer Text sein.</translation>
        </message>
        <message>
            <source>is longer than {n} characters.</source>
            <translation>ist länger als {n} Zeichen.</translation>
        </message>
        <message>
            <source>must be a whole number.</source>
            <translation>muss eine ganze Zahl sein.</translation>
        </message>
        <message>
            <source>must be a relative path inside the package.</source>
            <translation>muss ein relativer Pfad innerhalb des Pakets sein.</translation>
        </message>
        <message>
            <source>must be an object.</source>
            <translation>muss ein Objekt sein.</translation>
        </message>
        <message>
            <source>must be one of: {names}.</source>
            <translation>muss eines davon sein: {names}.</translation>
        </message>
        <message>
            <source>Slide “{slide}” is a file of a type Fieldrep cannot show ({file}). Use PDF, PNG, JPEG or an HTML5 folder.</source>
            <translation>Folie „{slide}“ ist eine Datei, die Fieldrep nicht zeigen kann ({file}). Verwenden Sie PDF, PNG, JPEG oder einen HTML5-Ordner.</translation>
        </message>
        <message>
            <source>must be a list of at most {n} questions.</source>
            <translation>muss eine Liste mit höchstens {n} Fragen sein.</translation>
        </message>
        <message>
            <source>use a question id twice.</source>
            <translation>verwenden eine Fragen-ID zweimal.</translation>
        </message>
        <message>
            <source>must be a JSON object.</source>
            <translation>muss ein JSON-Objekt sein.</translation>
        </message>
        <message>
            <source>must be {n}; this Fieldrep reads format {n} only.</source>
            <translation>muss {n} sein; dieses Fieldrep liest nur Format {n}.</translation>
        </message>
        <message>
            <source>must be a text or a whole number (e.g. “1.2”).</source>
            <translation>muss ein Text oder eine ganze Zahl sein (z. B. „1.2“).</translation>
        </message>
        <message>
            <source>is before valid_from.</source>
            <translation>liegt vor valid_from.</translation>
        </message>
        <message>
            <source>must be a list with at least one slide.</source>
            <translation>muss eine Liste mit mindestens einer Folie sein.</translation>
        </message>
        <message>
            <source>has more than {n} slides.</source>
            <translation>hat mehr als {n} Folien.</translation>
        </message>
        <message>
            <source>is missing.</source>
            <translation>fehlt.</translation>
        </message>
        <message>
            <source>must be a date written as YYYY-MM-DD.</source>
            <translation>muss ein Datum in der Form JJJJ-MM-TT sein.</translation>
        </message>
        <message>
            <source>must list at least two answers as texts.</source>
            <translation>muss mindestens zwei Antworten als Texte aufführen.</translation>
        </message>
        <message>
            <source>lists an answer twice.</source>
            <translation>führt eine Antwort zweimal auf.</translation>
        </message>
        <message>
            <source>must be above min, with at most {n} steps.</source>
            <translation>muss über min liegen, mit höchstens {n} Stufen.</translation>
        </message>
        <message>
            <source>must name a PDF page as “file.pdf#3”.</source>
            <translation>muss eine PDF-Seite in der Form „datei.pdf#3“ nennen.</translation>
        </message>
        <message>
            <source>can name a page only in a PDF file.</source>
            <translation>kann nur bei einer PDF-Datei eine Seite nennen.</translation>
        </message>
        <message>
            <source>must be a PNG or JPEG picture.</source>
            <translation>muss ein PNG- oder JPEG-Bild sein.</translation>
        </message>
        <message>
            <source>Two slides have the id “{slide}”; each needs its own.</source>
            <translation>Zwei Folien haben die ID „{slide}“; jede braucht ihre eigene.</translation>
        </message>
        <message>
            <source>The package has no {manifest} at its top level; it is not a Fieldrep content package.</source>
            <translation>Das Paket hat keine {manifest} auf oberster Ebene; es ist kein Fieldrep-Inhaltspaket.</translation>
        </message>
        <message>
            <source>The package's {manifest} is too large.</source>
            <translation>Die {manifest} des Pakets ist zu groß.</translation>
        </message>
        <message>
            <source>The package is for the product “{product}”, which is not known on this laptop. Sync first, or check the manifest.</source>
            <translation>Das Paket ist für das Produkt „{product}“, das auf diesem Laptop nicht bekannt ist. Synchronisieren Sie zuerst, oder prüfen Sie das Manifest.</translation>
        </message>
        <message>
            <source>Another package with the id “{id}” and version {version} is already imported. A changed package needs a new version.</source>
            <translation>Ein anderes Paket mit der ID „{id}“ und Version {version} ist bereits importiert. Ein geändertes Paket braucht eine neue Version.</translation>
        </message>
        <message>
            <source>The package's {manifest} is not valid JSON: {error}</source>
            <translation>Die {manifest} des Pakets ist kein gültiges JSON: {error}</translation>
        </message>
        <message>
            <source>The package is damaged and cannot be read ({error}).</source>
            <translation>Das Paket ist beschädigt und kann nicht gelesen werden ({error}).</translation>
        </message>
        <message>
            <source>Slide “{slide}” names {file}, which is not in the package.</source>
            <translation>Folie „{slide}“ nennt {file}, die nicht im Paket ist.</translation>
        </message>
        <message>
            <source>Slide “{slide}” names the thumbnail {file}, which is not in the package.</source>
            <translation>Folie „{slide}“ nennt das Vorschaubild {file}, das nicht im Paket ist.</translation>
        </message>
        <message>
            <source>The package contains a program ({file}); content packages may not.</source>
            <translation>Das Paket enthält ein Programm ({file}); Inhaltspakete dürfen das nicht.</translation>
        </message>
        <message>
            <source>The import was cancelled; nothing was imported.</source>
            <translation>Der Import wurde abgebrochen; nichts wurde importiert.</translation>
        </message>
        <message>
            <source>The package is damaged: {file} has the wrong size.</source>
            <translation>Das Paket ist beschädigt: {file} hat die falsche Größe.</translation>
        </message>
        <message>
            <source>Slide “{slide}”: the thumbnail {file} is not a picture.</source>
            <translation>Folie „{slide}“: Das Vorschaubild {file} ist kein Bild.</translation>
        </message>
        <message>
            <source>The package is damaged: {file} cannot be unpacked ({error}).</source>
            <translation>Das Paket ist beschädigt: {file} lässt sich nicht entpacken ({error}).</translation>
        </message>
        <message>
            <source>Slide “{slide}”: {file} is not a readable PDF.</source>
            <translation>Folie „{slide}“: {file} ist kein lesbares PDF.</translation>
        </message>
        <message>
            <source>Slide “{slide}” shows page {page} of {file}, but that PDF has only {count} pages.</source>
            <translation>Folie „{slide}“ zeigt Seite {page} von {file}, aber dieses PDF hat nur {count} Seiten.</translation>
        </message>
        <message>
            <source>Slide “{slide}”: {file} is not a PNG or JPEG picture.</source>
            <translation>Folie „{slide}“: {file} ist kein PNG- oder JPEG-Bild.</translation>
        </message>
        <message>
            <source>E-detail “{title}”:</source>
            <translation>E-Detailing „{title}“:</translation>
        </message>
        <message>
            <source>Asked for more on “{slide}”.</source>
            <translation>Wollte mehr zu „{slide}“ wissen.</translation>
        </message>
        <message>
        <source>“{title}” is not on this laptop yet; it arrives with the next sync.</source>
        <translation>„{title}“ ist noch nicht auf diesem Laptop; es kommt mit der nächsten Synchronisierung.</translation>
    </message>
    <message>
        <source>The package “{title}” does not match the server's description of it; nothing was imported.</source>
        <translation>Das Paket „{title}“ passt nicht zu seiner Beschreibung auf dem Server; nichts wurde importiert.</translation>
    </message>
</context>
</TS>
