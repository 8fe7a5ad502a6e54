#!/usr/bin/env python3
# The app ID ties the running window to its desktop file, icon, settings, software-centre entry
# and Flatpak. One file out of step and the dock shows no icon or the store no app; so every
# place that names it must agree with the APP_ID the program is built with.
import argparse
import configparser
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def define(config_h, name):
    with open(config_h, encoding='utf-8') as f:
        match = re.search(r'^#define\s+' + name + r'\s+"([^"]*)"', f.read(), re.M)
    return match.group(1) if match else None


def main():
    parser = argparse.ArgumentParser()
    for option in ('config-h', 'desktop', 'metainfo', 'schema', 'icons', 'manifest'):
        parser.add_argument('--' + option, required=True)
    args = parser.parse_args()

    app_id = define(args.config_h, 'APP_ID')
    gettext_package = define(args.config_h, 'GETTEXT_PACKAGE')
    if not app_id or not gettext_package:
        print(f'FAIL: {args.config_h} defines no APP_ID or GETTEXT_PACKAGE')
        return 1

    # Desktop file
    desktop = configparser.ConfigParser(interpolation=None, strict=True)
    desktop.optionxform = str
    desktop.read(args.desktop, encoding='utf-8')
    entry = desktop['Desktop Entry']
    check(os.path.basename(args.desktop) == app_id + '.desktop',
          f'desktop file is named {os.path.basename(args.desktop)}, not {app_id}.desktop')
    check(entry.get('Icon') == app_id, f'desktop Icon is {entry.get("Icon")}, not {app_id}')
    binary = entry.get('Exec', '').split(' ')[0]

    # Metainfo
    component = ET.parse(args.metainfo).getroot()
    check(os.path.basename(args.metainfo) == app_id + '.metainfo.xml',
          f'metainfo is named {os.path.basename(args.metainfo)}, not {app_id}.metainfo.xml')
    check(component.findtext('id') == app_id, f'metainfo <id> is {component.findtext("id")}')
    launchable = component.find("launchable[@type='desktop-id']")
    check(launchable is not None and launchable.text == app_id + '.desktop',
          'metainfo <launchable type="desktop-id"> does not name the desktop file')
    check(component.findtext('provides/binary') == binary,
          f'metainfo provides binary {component.findtext("provides/binary")}, desktop Exec runs {binary}')
    check(component.findtext("translation[@type='gettext']") == gettext_package,
          'metainfo <translation type="gettext"> is not the gettext domain ' + gettext_package)

    # Icons: the names GTK looks up for the app ID, and no stray names beside them.
    for subdir, name in (('scalable', app_id + '.svg'), ('symbolic', app_id + '-symbolic.svg')):
        folder = os.path.join(args.icons, 'hicolor', subdir, 'apps')
        present = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        check(present == [name], f'{folder} holds {present}, expected only {name}')

    # GSettings schema
    schemalist = ET.parse(args.schema).getroot()
    schemas = schemalist.findall('schema')
    check([s.get('id') for s in schemas] == [app_id],
          f'schema ids are {[s.get("id") for s in schemas]}, expected [{app_id}]')
    expected_path = '/' + app_id.replace('.', '/') + '/'
    check(all(s.get('path') == expected_path for s in schemas),
          f'schema path must be {expected_path}')
    check(os.path.basename(args.schema) == app_id + '.gschema.xml',
          f'schema file is named {os.path.basename(args.schema)}')
    check(schemalist.get('gettext-domain') == gettext_package,
          'schema gettext-domain is not ' + gettext_package)

    # Flatpak manifest
    with open(args.manifest, encoding='utf-8') as f:
        manifest = json.load(f)
    check(os.path.basename(args.manifest) == app_id + '.json',
          f'manifest is named {os.path.basename(args.manifest)}, not {app_id}.json')
    check(manifest.get('id', manifest.get('app-id')) == app_id,
          f'manifest id is {manifest.get("id", manifest.get("app-id"))}')
    check(manifest.get('command') == binary,
          f'manifest command is {manifest.get("command")}, desktop Exec runs {binary}')

    for failure in failures:
        print('FAIL: ' + failure)
    if not failures:
        print(f'{app_id} is used consistently')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
