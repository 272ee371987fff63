"""`mlebench docker build-image | images`: argparse front ends (wired into mlebench.cli)."""

from __future__ import annotations

import argparse

from mlebench.errors import MLEBenchError


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="docker_command", metavar="DOCKER_COMMAND")
    b = sub.add_parser(
        "build-image", help="Build the docker backend's image locally (no registry).",
        description="Makes a Debian root filesystem with debootstrap from Debian's package "
        "mirror (the one apt uses, or $MLEBENCH_DEBIAN_MIRROR), caches it under the cache dir "
        "($MLEBENCH_DOCKER_CACHE), imports it with `docker import`. Needs root and a running "
        "engine (`bash scripts/docker-engine.sh start`). Prints the image's tag.")
    b.add_argument("--mirror", default=None, help="Debian mirror URL for debootstrap.")
    b.add_argument("--rebuild", action="store_true",
                   help="Rebuild the root filesystem and the image even if they exist.")
    sub.add_parser("images", help="List the images mlebench built, with their recipe.")


def cmd_docker(args: argparse.Namespace) -> int:
    from mlebench.runtime.docker_backend import check_engine
    from mlebench.runtime.docker_image import build_base_image, list_images

    if args.docker_command is None:
        raise MLEBenchError("Usage: mlebench docker build-image|images (see --help).")
    check_engine()
    if args.docker_command == "build-image":
        tag = build_base_image(mirror=args.mirror, rebuild=args.rebuild,
                               log=lambda m: print(m, flush=True))
        print(tag)
        return 0
    for row in list_images():
        print(f"{row['tag']:48} {row['id'][7:19]} {row['size']:>10} {row['kind']}")
    return 0
