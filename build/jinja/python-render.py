#!/usr/bin/env python3
"""Renders templates with Python's Jinja configured as transformers configures it for chat templates.

Reads {"cases": [{"template": str, "variables": {...}}]} on stdin and writes [{"output": str} | {"error": str}] on
stdout. render.mjs calls it so that each fixture also records Python's rendering where it differs from
@huggingface/jinja. Needs jinja2 (pip install jinja2); render.mjs skips this step when it is missing.
"""
import json
import sys
from datetime import datetime

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.now().strftime(format)


class Generation(Extension):
    """transformers' {% generation %} tag (it marks assistant text for masks): renders its body unchanged."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[Generation, loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = strftime_now

results = []
for case in json.load(sys.stdin)["cases"]:
    try:
        results.append({"output": env.from_string(case["template"]).render(**case["variables"])})
    except Exception as error:  # every failure is a result to record
        results.append({"error": str(error)})
json.dump(results, sys.stdout, ensure_ascii=False)
