#!/usr/bin/env bash
# Install the Debian packages the portal needs, when they are missing.
#   scripts/system-packages.sh run    what `make run` needs
#   scripts/system-packages.sh test   that plus what the test suite needs
# As root it runs apt-get itself; otherwise it prints the one line to run.
set -euo pipefail

purpose=${1:-run}
# Pango renders the PDFs; without libharfbuzz-subset0 WeasyPrint embeds whole
# fonts and writes PDFs ~25x slower, silently. fonts-noto-cjk stands in for the
# official 仿宋/黑体/楷体 where the office has not installed them. LibreOffice (Writer,
# without its GUI) converts uploaded .doc/.wps/.rtf/.odt plans to .docx for the importer,
# and the tests make their sample files with it.
packages=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk redis-server
  libreoffice-writer-nogui)
if [ "$purpose" = test ]; then
  packages+=(poppler-utils chromium chromium-headless-shell postgresql)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少系统软件包：${missing[*]}（请用本机的包管理器安装）" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包，请先运行：" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "安装系统软件包：${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts services it installs only where systemd runs; scripts/services.sh
# starts what it needs either way.
