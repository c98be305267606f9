<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Fieldrep</name>
    <message>
        <source>{value}%</source>
        <translation>{value} %</translation>
    </message>
</context>
</TS>
