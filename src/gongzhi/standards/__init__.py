"""Standards as data (标准配置): versioned YAML profiles, their schema and loader.

Areas register the body schema of the profile kinds they use (``Area.profile_kinds``); profiles ship
in ``gongzhi/standards/profiles/``, come from plugins (``gongzhi.profiles`` entry points) or from the
instance's ``profile_dirs`` (local rules).

>>> from gongzhi.standards.schema import PROFILE_ID
>>> bool(PROFILE_ID.match("gongzhi.tiering.cn@1"))
True
"""

from __future__ import annotations

from gongzhi.areas import Area

area = Area(name="standards", cli="gongzhi.standards.cli:app", cli_name="standards")
