<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- What Qt's own French catalogue (qtbase_fr) leaves in English in the dialogs of the program: the
     file dialog's labels and its « Type » column, the print dialog. Loaded by cyclades_desktop/ui/langue.py
     after Qt's catalogues, which win once they translate these strings. After an edit, compile:
       .venv/bin/pyside6-lrelease resources/traductions/complements_fr.ts -qm resources/traductions/complements_fr.qm
     (tests/ui/test_langue_qt.py checks that the .qm is up to date). -->
<TS version="2.1" language="fr_FR">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Regarder dans :</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Fichiers de &amp;type :</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Folder</source>
        <comment>All other platforms</comment>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>Lecteur</translation>
    </message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message>
        <source>Page &amp;Set:</source>
        <translation>&amp;Sélection de pages :</translation>
    </message>
</context>
</TS>
