"""Console-script entry point."""

from __future__ import annotations

from supportops.cli.app import create_app


def main() -> None:
    create_app()(prog_name="supportops")


if __name__ == "__main__":
    main()
