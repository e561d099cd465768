"""``python -m gongzhi`` is the ``gongzhi`` command."""

from gongzhi.cli import main

main()
