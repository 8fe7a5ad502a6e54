#!/usr/bin/env python3
# Reads the schema compiled into the build directory the way the app does (through GSettings)
# and checks the provider defaults customers start from, the value limits, and that no key can
# hold a password.
import os
import shutil
import subprocess
import sys

PROTOCOL_DEFAULTS = {
    # protocol: (host, port, security)
    'pop3': ("'mail01.netzprisma.de'", '0', "'tls'"),
    'imap': ("'mail01.netzprisma.de'", '0', "'tls'"),
    'smtp': ("'mail01.netzprisma.de'", '0', "'starttls'"),
}

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def main():
    schema_id, schema_dir = sys.argv[1], sys.argv[2]
    tool = shutil.which('gsettings')
    if tool is None:
        print('SKIP: gsettings is not installed (Debian package "libglib2.0-bin")')
        return 77
    if not os.path.exists(os.path.join(schema_dir, 'gschemas.compiled')):
        print(f'FAIL: {schema_dir}/gschemas.compiled was not built')
        return 1

    env = dict(os.environ, GSETTINGS_BACKEND='memory')

    def gsettings(*args):
        return subprocess.run([tool, '--schemadir', schema_dir, *args],
                              capture_output=True, text=True, env=env)

    def get(key):
        proc = gsettings('get', schema_id, key)
        check(proc.returncode == 0, f'gsettings get {key} failed: {proc.stderr.strip()}')
        return proc.stdout.strip()

    keys = gsettings('list-keys', schema_id)
    if keys.returncode != 0:
        print(f'FAIL: schema {schema_id} not found in {schema_dir}: {keys.stderr.strip()}')
        return 1
    key_names = keys.stdout.split()

    # Security rule: the password never lands in a settings file.
    for name in key_names:
        lowered = name.lower()
        check(not any(word in lowered for word in ('pass', 'secret', 'credential', 'token')),
              f'key "{name}" looks like it stores a secret; passwords must never be saved')

    check(get('email') == "''", 'email must default to empty')
    check(get('window-width') == '720', 'window-width must default to 720')
    check(get('window-height') == '760', 'window-height must default to 760')
    check(get('window-maximized') == 'false', 'window-maximized must default to false')
    check(get('last-page') == "'imap'", 'last-page must default to imap')

    for protocol, (host, port, security) in PROTOCOL_DEFAULTS.items():
        check(get(f'{protocol}-host') == host, f'{protocol}-host must default to {host}')
        check(get(f'{protocol}-port') == port, f'{protocol}-port must default to {port} (standard port)')
        check(get(f'{protocol}-security') == security,
              f'{protocol}-security must default to {security}')
        check(get(f'{protocol}-user') == "''",
              f'{protocol}-user must default to empty (= the e-mail address)')

        port_range = gsettings('range', schema_id, f'{protocol}-port').stdout.split()
        check(port_range == ['range', 'i', '0', '65535'],
              f'{protocol}-port range is {port_range}, expected 0..65535')
        choices = gsettings('range', schema_id, f'{protocol}-security').stdout.split()
        check(choices == ['enum', "'tls'", "'starttls'", "'none'"],
              f'{protocol}-security choices are {choices}, expected tls, starttls, none')

        # GSettings itself must refuse values the app could not handle.
        check(gsettings('set', schema_id, f'{protocol}-port', '65536').returncode != 0,
              f'{protocol}-port accepted 65536')
        check(gsettings('set', schema_id, f'{protocol}-security', "'ssl'").returncode != 0,
              f'{protocol}-security accepted "ssl"')

    for failure in failures:
        print('FAIL: ' + failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
