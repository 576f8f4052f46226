#!/usr/bin/python3
"""Generates hubcap-cli's bash completion from its real --help output.

usage: gen_completion.py HUBCAP_CLI TEMPLATE OUTPUT

Reads the "Global options:", "Commands:" and "Usage of each command:" sections of
`hubcap-cli --help` and fills the template's @...@ lists, so that a new command added to the
CLI's command table is completed without touching the template.
"""
import re
import subprocess
import sys

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)(?:[ =]([A-Z][A-Z0-9_]*))?")
# "--source github|local": an option whose value is one of a few words.
CHOICES = re.compile(r"(?<![\w-])(--[A-Za-z0-9][\w-]*)[ =]([a-z0-9_]+(?:\|[a-z0-9_]+)+)")


def sections(text):
    """Maps a section title ("Commands") to its indented lines."""
    result, current = {}, None
    for line in text.splitlines():
        if line and not line[0].isspace() and line.rstrip().endswith(":"):
            current = line.strip()[:-1]
            result[current] = []
        elif current is not None:
            if not line.strip():
                current = None
            else:
                result[current].append(line)
    return result


def value_kind(name):
    """How to complete the value of an option or positional: -d, file (""), or None."""
    if name is None:
        return None
    if "DIR" in name or "ROOT" in name:
        return "-d"
    if any(word in name for word in ("FILE", "PATH", "OUT", "ZIP", "ARCHIVE")):
        return ""
    return "none"


def main():
    cli, template, output = sys.argv[1:4]
    text = subprocess.run([cli, "--help"], check=True, capture_output=True, text=True,
                          timeout=60, env={"LC_ALL": "C.UTF-8", "HOME": "/nonexistent"}).stdout
    sec = sections(text)

    value_opts = {}  # option -> kind
    global_opts = []
    for line in sec.get("Global options", []):
        m = re.match(r"\s+(--?[\w-]+)(?:[ =]([A-Z][A-Z0-9_]*))?", line)
        if m:
            global_opts.append(m.group(1))
            if m.group(2):
                value_opts[m.group(1)] = value_kind(m.group(2))

    commands = []
    for line in sec.get("Commands", []):
        m = re.match(r"\s+([a-z][\w-]*)\s", line + " ")
        if m and m.group(1) not in commands:
            commands.append(m.group(1))

    per_cmd = {c: {"subs": [], "opts": [], "files": None} for c in commands}
    choices = {}  # option -> [words]
    cmd = None
    for line in sec.get("Usage of each command", []):
        m = re.match(r"\s+(?:hubcap-cli\s+)?(.*)", line)
        tokens = m.group(1).split() if m else []
        if not tokens:
            continue
        if re.fullmatch(r"[a-z][\w-]*", tokens[0]) and line.lstrip().startswith("hubcap-cli"):
            cmd = tokens[0]
            rest = tokens[1:]
        elif cmd is not None:
            rest = tokens  # a usage line the help text wrapped or split: same command
        else:
            continue
        entry = per_cmd.setdefault(cmd, {"subs": [], "opts": [], "files": None})
        if cmd not in commands:
            commands.append(cmd)
        if rest and rest is not tokens and re.fullmatch(r"[a-z][a-z0-9-]*", rest[0]):
            if rest[0] not in entry["subs"]:
                entry["subs"].append(rest[0])
            rest = rest[1:]
        joined = " ".join(rest)
        for opt, words in CHOICES.findall(joined):
            choices.setdefault(opt, words.split("|"))
        for opt, arg in OPTION.findall(joined):
            if opt not in entry["opts"]:
                entry["opts"].append(opt)
            if arg:
                value_opts.setdefault(opt, value_kind(arg))
        # Positionals (outside option values) that name files or folders.
        without_opts = OPTION.sub(" ", joined)
        for word in re.findall(r"[A-Z][A-Z0-9_]*", without_opts):
            kind = value_kind(word)
            if kind in ("-d", "") and entry["files"] in (None, "-d"):
                entry["files"] = kind

    value_cases = []
    for kind in ("-d", "", "none"):
        opts = sorted(o for o, k in value_opts.items() if k == kind)
        if not opts:
            continue
        action = "return" if kind == "none" else f"_hubcap_cli_files {kind}".rstrip() + "; return"
        value_cases.append(f"        {'|'.join(opts)}) {action} ;;")
    for opt in sorted(choices):
        value_opts.pop(opt, None)
        value_cases.append(
            f"        {opt}) COMPREPLY=($(compgen -W \"{' '.join(choices[opt])}\" -- \"$cur\")); return ;;")
    skip = "|".join(sorted(set(value_opts) | set(choices))) or "--hub-dir"

    command_cases = []
    for cmd in commands:
        e = per_cmd[cmd]
        files = "" if e["files"] is None else ("-d" if e["files"] == "-d" else "-f")
        command_cases.append(
            f"        {cmd})\n"
            f"            subs=\"{' '.join(e['subs'])}\"\n"
            f"            opts=\"{' '.join(e['opts'])}\"\n"
            f"            files=\"{files}\"\n"
            f"            ;;")

    with open(template, encoding="utf-8") as f:
        out = f.read()
    out = (out.replace("@GLOBAL_OPTIONS@", " ".join(global_opts))
              .replace("@COMMANDS@", " ".join(commands))
              .replace("@VALUE_CASES@", "\n".join(value_cases) or "        --hub-dir) _hubcap_cli_files -d; return ;;")
              .replace("@SKIP_VALUE_PATTERN@", "            " + skip)
              .replace("@COMMAND_CASES@", "\n".join(command_cases) or "        *) ;;"))
    with open(output, "w", encoding="utf-8") as f:
        f.write(out)


if __name__ == "__main__":
    main()
