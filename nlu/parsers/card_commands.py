"""Commands for an issued card: "冻结我的卡", "解冻", "激活实体卡", "单笔限额5000", "每天最多刷2万",
"set my daily limit to 3000", "开通交易提醒", "turn off alerts", "show my card number"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from nlu.parsers.amounts import parse_amount
from nlu.parsers.text import normalize

Action = Literal["freeze", "unfreeze", "activate", "limits", "notify", "show"]


@dataclass(frozen=True)
class CardCommand:
    action: Action
    per_transaction: float | None = None
    daily: float | None = None
    enabled: bool | None = None  # for notify


_UNFREEZE: Final = re.compile(r"解冻|解除冻结|解锁|恢复(?:使用|我的卡|卡片)?|unfreeze|unblock|unlock|reactivate", re.I)
_FREEZE: Final = re.compile(r"冻结|锁卡|锁住|止付|暂停使用|先停用|freeze|block|lock|pause (?:my )?card", re.I)
_ACTIVATE: Final = re.compile(r"激活|开卡|启用|activate|turn on (?:my|the) (?:physical )?card", re.I)
_NOTIFY: Final = re.compile(r"提醒|通知|短信提示|推送|动账|alert|notif|notify|text me|message me", re.I)
_OFF: Final = re.compile(r"关闭|关掉|取消|不要|停止|别再|turn off|switch off|disable|stop|no more|don'?t", re.I)
_LIMIT: Final = re.compile(r"限额|额度上限|最多刷|上限|limit|cap|max(?:imum)?", re.I)
_DAILY: Final = re.compile(r"每天|每日|一天|日限额|daily|per day|a day", re.I)
_PER_TX: Final = re.compile(
    r"单笔|每笔|一笔|每次|per (?:transaction|purchase|payment)|single|each (?:purchase|payment)", re.I
)
_SHOW: Final = re.compile(r"卡号|查看卡|看看卡|cvv|安全码|有效期|card number|show (?:me )?my card|card details", re.I)


def parse_card_command(text: str) -> CardCommand | None:
    t = normalize(text or "")
    if not t or len(t) > 300:
        return None
    if _UNFREEZE.search(t):
        return CardCommand("unfreeze")
    if _FREEZE.search(t):
        return CardCommand("freeze")
    if _LIMIT.search(t):
        amount = parse_amount(t, zero_words=False)
        value = amount.value if amount is not None and amount.currency == "CNY" else None
        if _DAILY.search(t):
            return CardCommand("limits", daily=value)
        return CardCommand("limits", per_transaction=value)
    if _NOTIFY.search(t):
        return CardCommand("notify", enabled=not _OFF.search(t))
    if _ACTIVATE.search(t):
        return CardCommand("activate")
    if _SHOW.search(t):
        return CardCommand("show")
    return None
