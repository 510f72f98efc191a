#!/usr/bin/env bash
# Builds the local base image local/jre17:bookworm (Debian 12 minbase + openjdk-17-jre-headless)
# without any container registry: debootstrap from the Debian mirror, then `docker import`.
# Does nothing when the image already exists. Needs root, debootstrap and a running Docker engine.
#
# Usage: .ci/build-base-image.sh [image]      (default image: local/jre17:bookworm)
set -euo pipefail

IMAGE="${1:-local/jre17:bookworm}"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base image $IMAGE exists, skipping"
  exit 0
fi

rootfs="$(mktemp -d /tmp/jre17-rootfs.XXXXXX)"
cleanup() { rm -rf --one-file-system "$rootfs"; }
trap cleanup EXIT

echo "debootstrap $SUITE (minbase + openjdk-17-jre-headless) into $rootfs"
debootstrap --variant=minbase --include=openjdk-17-jre-headless "$SUITE" "$rootfs" "$MIRROR"

# Smaller image: no package caches or lists (apt-get update restores the lists when needed).
chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/*.log

echo "docker import -> $IMAGE"
tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$IMAGE"
docker run --rm "$IMAGE" java -version
