#!/usr/bin/env python3
# Checks the two app icons are what icon themes and GTK expect: a 128 px full-colour icon and
# a 16 px symbolic icon that GTK can recolour (it replaces fills, so one colour and no strokes).
import os
import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
SYMBOLIC_COLOUR = '#2e3436'
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def load(path):
    try:
        return ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        failures.append(f'{path}: {error}')
        return None


def colours(element):
    """Every colour an element sets, through attributes or its style attribute."""
    found = {}
    for prop in ('fill', 'stroke'):
        if prop in element.attrib:
            found[prop] = element.attrib[prop]
    for declaration in element.attrib.get('style', '').split(';'):
        name, _, value = declaration.partition(':')
        if name.strip() in ('fill', 'stroke'):
            found[name.strip()] = value.strip()
    return found


def main():
    app_id, icons = sys.argv[1], sys.argv[2]
    scalable = os.path.join(icons, 'hicolor', 'scalable', 'apps', app_id + '.svg')
    symbolic = os.path.join(icons, 'hicolor', 'symbolic', 'apps', app_id + '-symbolic.svg')

    root = load(scalable)
    if root is not None:
        check(root.tag == SVG + 'svg', f'{scalable}: root element is not <svg>')
        check(root.get('viewBox') == '0 0 128 128', f'{scalable}: viewBox must be 0 0 128 128')
        check(root.find(f'.//{SVG}image') is None, f'{scalable}: embeds a bitmap')
        check(root.find(f'.//{SVG}text') is None, f'{scalable}: uses text (fonts differ per system)')

    root = load(symbolic)
    if root is not None:
        check(root.tag == SVG + 'svg', f'{symbolic}: root element is not <svg>')
        check(root.get('viewBox') == '0 0 16 16', f'{symbolic}: viewBox must be 0 0 16 16')
        check(root.find(f'.//{SVG}image') is None, f'{symbolic}: embeds a bitmap')
        painted = 0
        for element in root.iter():
            for prop, value in colours(element).items():
                if prop == 'stroke':
                    check(value == 'none', f'{symbolic}: <{element.tag[len(SVG):]}> has a stroke; '
                                           'GTK recolours fills only')
                elif value != 'none':
                    check(value.lower() == SYMBOLIC_COLOUR,
                          f'{symbolic}: fill {value} is not {SYMBOLIC_COLOUR}')
                    painted += 1
        check(painted > 0, f'{symbolic}: nothing is filled with {SYMBOLIC_COLOUR}')
        check(not re.search(r'stop-color|gradient', ET.tostring(root, encoding='unicode'), re.I),
              f'{symbolic}: gradients cannot be recoloured')

    for failure in failures:
        print('FAIL: ' + failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
