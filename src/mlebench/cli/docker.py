"""`mlebench docker build-image | images`: the docker backend's images, built locally."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlebench.errors import MLEBenchError


def add_parsers(sub_parsers: argparse._SubParsersAction) -> None:
    p = sub_parsers.add_parser(
        "docker", help="Build and list the docker backend's images (built locally).")
    sub = p.add_subparsers(dest="docker_command", metavar="DOCKER_COMMAND")
    b = sub.add_parser(
        "build-image", help="Build the docker backend's image locally (no registry).",
        description="Makes a Debian root filesystem with debootstrap from Debian's package "
        "mirror (the one apt uses, or $MLEBENCH_DEBIAN_MIRROR), caches it under the cache dir "
        "($MLEBENCH_DOCKER_CACHE), imports it with `docker import` (the base image), then "
        "installs the profile's environment from its lock into it, offline and verified, as "
        "mlebench-env:<profile>-<hash12>: the image `mlebench run --backend docker` uses. "
        "Needs root and a running engine (`bash scripts/docker-engine.sh start`). Prints the "
        "image's tag.")
    b.add_argument("--profile", default=None, help="The environment to install: reference "
                   "(default), lite, or a profile folder / lock file (as `mlebench env build`).")
    b.add_argument("--variant", default=None, help="cpu or cuda (default: the profile's).")
    b.add_argument("--wheels", type=Path, default=None, metavar="DIR",
                   help="Install offline, only from this folder of wheels.")
    b.add_argument("--base-only", action="store_true",
                   help="Only the base image (Debian + Python), no environment.")
    b.add_argument("--mirror", default=None, help="Debian mirror URL for debootstrap.")
    b.add_argument("--rebuild", action="store_true",
                   help="Rebuild the root filesystem and the image even if they exist.")
    sub.add_parser("images", help="List the images mlebench built, with their recipe.")


def cmd_docker(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.runtime.docker_backend import check_engine
    from mlebench.runtime.docker_env_image import build_env_image
    from mlebench.runtime.docker_image import build_base_image, list_images

    if args.docker_command is None:
        raise MLEBenchError("Usage: mlebench docker build-image|images (see --help).")
    check_engine()
    if args.docker_command == "build-image":
        def log(message: str) -> None:
            print(message, file=sys.stderr, flush=True)

        if args.base_only:
            tag = build_base_image(mirror=args.mirror, rebuild=args.rebuild, log=log)
        else:
            tag = build_env_image(args.profile, args.variant, args.wheels, args.rebuild, log,
                                  mirror=args.mirror)
        print(tag)
        return 0
    for row in list_images():
        print(f"{row['tag']:48} {row['id'][7:19]} {row['size']:>10} {row['kind']}")
    return 0


COMMANDS = {"docker": cmd_docker}
