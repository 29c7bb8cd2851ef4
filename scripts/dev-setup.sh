#!/usr/bin/env bash
# Installs the Debian packages this project needs for development and tests (idempotent).
# Used by .ci/run; run it once on a new development machine: sudo bash scripts/dev-setup.sh
set -euo pipefail

PACKAGES=(
  chromium          # e2e tests drive Debian's Chromium through playwright-core
  fonts-noto-cjk    # Japanese glyphs in e2e screenshots
  yamllint          # lints compose and Helm values
  docker-compose    # `docker-compose config` validates docker/compose.yml (no engine needed)
  python3 make g++  # native modules (better-sqlite3) build from source
  libpcap-dev       # the capture's live input: the optional `pcap` module builds against it
  sip-tester        # sipp: the capture's end-to-end test places real SIP calls on loopback
  tshark            # the capture benchmark times `tshark -z rtp,streams` on the same file
  ffmpeg            # FlexDPlayer decodes carrier AMR/M4A recordings; its tests make those fixtures
  openssh-client    # FlexDPlayer's SFTP tests upload with the real sftp/scp clients and ssh-keygen
  poppler-utils     # invoice PDF tests read the text back with pdftotext; pdftoppm renders pages to PNG
  pocketsphinx pocketsphinx-en-us  # FlexVNote: the one real recogniser with a model on this machine (e2e + bench)
  espeak-ng         # FlexVNote's end-to-end test speaks known sentences into each channel of a call
  sox               # FlexVNote tests build stereo test calls from the spoken channels
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "dev-setup: installing ${missing[*]}"
  apt-get update -qq
  # tshark's package asks whether non-root users may capture; answer no, without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "dev-setup: Debian packages present"
