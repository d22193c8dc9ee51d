#!/usr/bin/env bash
# One-time (and idempotent) set-up: npm packages, then Verilator, Icarus Verilog, OpenSTA and the
# OSU 0.18 um standard cells (the `osu018` target's Liberty file) from Debian when they are missing.
# Yosys needs no install: it is the @yowasp/yosys npm package.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# yosys from Debian is the optional system Yosys (`--yosys system`, and the synthesis benchmark
# compares it with the embedded one); everything works without it. ccache is optional too: with it,
# Verilator builds share the compiled runtime, which halves each model's build time. The explorer's
# PNG plots are set in DejaVu Sans, and resvg draws no text at all when it finds no font file.
missing=()
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
command -v iverilog >/dev/null 2>&1 || missing+=(iverilog)
command -v yosys >/dev/null 2>&1 || missing+=(yosys)
command -v ccache >/dev/null 2>&1 || missing+=(ccache)
command -v sta >/dev/null 2>&1 || missing+=(opensta)
[ -f /usr/share/qflow/tech/osu018/osu018_stdcells.lib ] || missing+=(qflow-tech-osu018)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} with apt-get"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "setup: node $(node --version), $(verilator --version | head -n1), $(iverilog -V 2>/dev/null | head -n1 | sed 's/ (.*//'), yosys $(node -e "import('@yowasp/yosys').then(m => console.log(m.version))") embedded, $(yosys -V 2>/dev/null | sed 's/ (.*//') system, OpenSTA $(sta -version 2>/dev/null)"
