#!/usr/bin/python3
"""Validates formcheck's JSON outputs against their JSON Schemas.

usage: validate_json.py [--lines] SCHEMA FILE...

Each FILE is one JSON document (a report), or with --lines one per line (the
events of formcheck live --jsonl); each is checked against SCHEMA (JSON Schema
draft 2020-12). Every schema in SCHEMA's folder can be the target of a $ref by
its $id (the live events use the report's finding and rep); nothing is fetched
from the network. NaN and Infinity are not JSON: they fail.

Prints one line per problem, "FILE[:LINE]: /json/pointer: what is wrong", and
exits 0 when everything is valid, 1 when something is not, 2 when it cannot
check (usage, a file that does not load, python3-jsonschema missing).

Debian 12's python3-jsonschema (4.10) is enough: tools/setup.sh installs it.
"""
import json
import os
import sys
import warnings

# Problems shown per document: enough to see a pattern, not a wall of text.
MAX_ERRORS_PER_DOCUMENT = 10


def fail(message):
    print(f"validate_json: {message}", file=sys.stderr)
    sys.exit(2)


def reject_constant(name):
    raise ValueError(f"{name} is not JSON (a NaN or an infinity should be null)")


def load_json(text):
    return json.loads(text, parse_constant=reject_constant)


def make_validator(schema_path):
    try:
        import jsonschema
    except ImportError:
        fail("python3-jsonschema is not installed (tools/setup.sh installs it)")
    folder = os.path.dirname(os.path.abspath(schema_path))
    store = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".schema.json"):
            path = os.path.join(folder, name)
            try:
                with open(path, encoding="utf-8") as f:
                    s = load_json(f.read())
            except (OSError, ValueError) as e:
                fail(f"{path}: {e}")
            store[s.get("$id", path)] = s
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = load_json(f.read())
    except (OSError, ValueError) as e:
        fail(f"{schema_path}: {e}")
    cls = jsonschema.Draft202012Validator
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as e:
        fail(f"{schema_path}: not a valid schema: {e.message}")
    with warnings.catch_warnings():
        # RefResolver is what Debian 12's jsonschema has; later ones deprecate it.
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver(schema.get("$id", ""), schema, store=store)
        return cls(schema, resolver=resolver)


def pointer(error):
    return "/" + "/".join(str(p) for p in error.absolute_path)


def check(validator, where, text):
    """Prints the problems of one document; returns how many there were."""
    try:
        doc = load_json(text)
    except ValueError as e:
        print(f"{where}: not JSON: {e}")
        return 1
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for e in errors[:MAX_ERRORS_PER_DOCUMENT]:
        print(f"{where}: {pointer(e)}: {e.message}")
    if len(errors) > MAX_ERRORS_PER_DOCUMENT:
        print(f"{where}: ... and {len(errors) - MAX_ERRORS_PER_DOCUMENT} more")
    return len(errors)


def main(argv):
    args = argv[1:]
    lines = bool(args) and args[0] == "--lines"
    if lines:
        args = args[1:]
    if len(args) < 2 or any(a.startswith("-") for a in args):
        fail("usage: validate_json.py [--lines] SCHEMA FILE...")
    validator = make_validator(args[0])
    bad = 0
    for path in args[1:]:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            fail(f"{path}: {e}")
        if not lines:
            bad += check(validator, path, text)
            continue
        docs = [(i + 1, l) for i, l in enumerate(text.split("\n")) if l.strip()]
        if not docs:
            print(f"{path}: no JSON lines")
            bad += 1
        for n, line in docs:
            bad += check(validator, f"{path}:{n}", line)
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:  # a $ref that does not resolve, and the like: the schema is wrong
        fail(f"{type(e).__name__}: {e}")
