<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>Open an account or a call report to escalate a medical question.</source>
        <translation>Öffnen Sie einen Kunden oder einen Besuchsbericht, um eine medizinische Frage weiterzugeben.</translation>
    </message>
</context>
</TS>
