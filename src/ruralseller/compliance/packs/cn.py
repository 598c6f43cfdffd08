"""Rules for selling farm food online in mainland China (CN).

Sources and their verification status are from the project's research notes
(``research/compliance.md``: P-CN-*, L-CN-*, C-CN-*, T-CN-*). Only rules whose source was
verified block; the rest warn and say so. This is not legal advice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ruralseller.catalog import LicenceKind, StorageClass
from ruralseller.compliance.context import LotContext
from ruralseller.compliance.rules import (
    Citation,
    Issue,
    Rule,
    RulePack,
    SellerProfile,
    Severity,
    SourceStatus,
    Topic,
)
from ruralseller.compliance.wording import find_terms

__all__ = ["PACK"]

V, P, U = SourceStatus.VERIFIED, SourceStatus.PARTIAL, SourceStatus.UNVERIFIED

# Kinds sold pre-packaged with a label (live birds are not food yet).
_FOOD = frozenset({"poultry_meat", "shell_eggs", "fresh_produce", "cured_meat", "packaged_food"})
_PROCESSED = frozenset({"cured_meat", "packaged_food"})

# 食品生产许可管理办法: "SC" + 14 digits; the first digit is 1 (food) or 2 (additive).
# research/compliance.md C-CN-5 (format V; the check-digit algorithm is not published).
_SC_NUMBER = re.compile(r"SC[12]\d{13}")


# --- slaughter -----------------------------------------------------------------------------


def _quarantine_certificate(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.slaughter
    if record is not None and record.quarantine_certificate is None:
        yield Issue(
            message=f"lot {ctx.lot.id} has no animal quarantine certificate number "
            "(动物检疫合格证明); poultry meat without quarantine may not be sold",
            remedy="declare the birds for quarantine to the county animal health supervision "
            "body before they leave the farm (3 days ahead) and before slaughter (6 hours "
            "ahead), then enter the certificate number as slaughter.quarantine_certificate",
            field=ctx.path("slaughter", "quarantine_certificate"),
        )


def _licensed_plant(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.slaughter
    if record is None:
        return
    if record.on_farm or record.facility_licence is None:
        where = "on the farm" if record.on_farm else f"at {record.facility} (no licence given)"
        yield Issue(
            message=f"lot {ctx.lot.id} was slaughtered {where}; poultry sold online is expected "
            "to come from a designated or licensed slaughter plant, and many provinces and "
            "cities require centralised slaughter (集中屠宰)",
            remedy="have the birds slaughtered at the county's designated poultry slaughter "
            "plant and enter its licence number as slaughter.facility_licence; check the local "
            "rules of the province and city",
            field=ctx.path("slaughter", "on_farm" if record.on_farm else "facility_licence"),
        )


def _chilling(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.slaughter
    if record is None or ctx.product.storage_class is not StorageClass.CHILLED:
        return
    chilling = record.chilling
    if chilling is None or chilling.core_temperature is None:
        yield Issue(
            message=f"lot {ctx.lot.id} is sold chilled but its chilling record does not say "
            "the core temperature reached",
            remedy="record slaughter.chilling with core_temperature (0-4 °C) and within "
            "(at most 24 h)",
            field=ctx.path("slaughter", "chilling"),
        )
        return
    celsius = chilling.core_temperature.celsius
    if not 0 <= celsius <= 4:
        yield Issue(
            message=f"chilled meat must be brought to 0-4 °C; lot {ctx.lot.id} reached "
            f"{chilling.core_temperature}",
            remedy="chill the carcasses to a core temperature of 0-4 °C",
            field=ctx.path("slaughter", "chilling", "core_temperature"),
        )
    if chilling.within is not None and chilling.within > dt.timedelta(hours=24):
        yield Issue(
            message=f"chilled meat must reach 0-4 °C within 24 h of slaughter; lot "
            f"{ctx.lot.id} took {chilling.within}",
            remedy="chill faster (air or ice chilling right after slaughter)",
            field=ctx.path("slaughter", "chilling", "within"),
        )


def _live_birds_by_parcel(ctx: LotContext) -> Iterator[Issue]:
    yield Issue(
        message=f"lot {ctx.lot.id} is live birds: parcel and express carriers do not accept "
        "live animals, and live poultry needs a quarantine certificate to leave the farm",
        remedy="sell live birds for collection or local delivery only, or sell them "
        "slaughtered at a designated plant as chilled meat",
        field=ctx.product_path("kind"),
    )


def _dry_ice_by_air(ctx: LotContext) -> Iterator[Issue]:
    kg = ctx.dry_ice_kg()
    if kg is None or not kg or ctx.sale.mode != "air":
        return
    if kg > _PI954_MAX_KG:
        yield Issue(
            message=f"{kg} kg of dry ice in one parcel is more than the {_PI954_MAX_KG} kg "
            "per package that IATA packing instruction 954 allows by air",
            remedy="split the shipment into more parcels, or send it by road",
            field="sale.dry_ice",
        )
    yield Issue(
        message=f"dry ice by air is a dangerous good (UN1845): the parcel needs vented "
        f"packaging, the marking 'UN1845 Dry ice' with the net mass ({kg} kg) and a class 9 "
        "label, and the carrier must agree in advance",
        remedy="mark and label the box, and book dry ice with the carrier",
        field="sale.dry_ice",
        severity=Severity.INFO,
    )


# IATA DGR packing instruction 954: at most 200 kg of dry ice per package
# (research/coldchain.md §2.4).
_PI954_MAX_KG = 200


# --- licences ------------------------------------------------------------------------------


def _food_production_licence(ctx: LotContext) -> Iterator[Issue]:
    licence = ctx.producer.licence(LicenceKind.FOOD_PRODUCTION)
    if licence is None:
        yield Issue(
            message=f"{ctx.producer.name} makes processed food "
            f"({ctx.product.kind.replace('_', ' ')}) but holds no food production licence "
            "(食品生产许可证, SC number)",
            remedy="apply to the county market regulation bureau for a food production licence, "
            "or, for a small workshop, register under the provincial 小作坊 rules "
            "(producer kind 'workshop')",
            field=ctx.producer_path("licences"),
        )
    elif not licence.is_valid_on(ctx.on):
        yield Issue(
            message=f"the food production licence {licence.number} is not valid on "
            f"{ctx.on.isoformat()} (valid {licence.valid_from} to {licence.valid_until})",
            remedy="renew the licence before selling",
            field=ctx.producer_path("licences"),
        )


def _sc_number_format(ctx: LotContext) -> Iterator[Issue]:
    for index, licence in enumerate(ctx.producer.licences):
        if licence.kind is LicenceKind.FOOD_PRODUCTION and not _SC_NUMBER.fullmatch(
            licence.number.replace(" ", "")
        ):
            yield Issue(
                message=f"{licence.number!r} is not a food production licence number: it is "
                "'SC' and 14 digits, the first 1 (food) or 2 (food additive)",
                remedy="copy the number exactly as printed on the licence, e.g. SC10436082600123",
                field=ctx.producer_path(f"licences[{index}]", "number"),
            )


def _small_workshop_online(ctx: LotContext) -> Iterator[Issue]:
    registered = ctx.producer.licence(LicenceKind.SMALL_WORKSHOP)
    yield Issue(
        message=f"{ctx.producer.name} is a small food workshop (小作坊)"
        + ("" if registered else " with no registration certificate")
        + "; many provinces restrict its sales to the local area and do not allow online or "
        "out-of-province sale",
        remedy="check the provincial 食品小作坊 regulations of your province before selling "
        "online; register the workshop if it is not registered",
        field=ctx.producer_path("licences" if not registered else "kind"),
    )


def _business_licence(ctx: LotContext) -> Iterator[Issue]:
    if ctx.profile is SellerProfile.FARMER and ctx.product.kind not in _PROCESSED:
        return
    licence = ctx.producer.licence(LicenceKind.BUSINESS)
    if licence is None or not licence.is_valid_on(ctx.on):
        state = "holds no" if licence is None else "has no valid"
        yield Issue(
            message=f"{ctx.producer.name} {state} business licence (营业执照); online sellers "
            "other than farmers selling their own produce must register and show it on the "
            "shop page",
            remedy="register with the market regulation bureau and add the business licence "
            "(kind 'business') to the producer",
            field=ctx.producer_path("licences"),
        )


# --- labelling -----------------------------------------------------------------------------


def _label_particulars(ctx: LotContext) -> Iterator[Issue]:
    place = ctx.producer.place
    if ctx.producer.contact is None:
        yield Issue(
            message=f"the label must give the producer's contact; {ctx.producer.name} has none",
            remedy="add contact (a phone number) to the producer",
            field=ctx.producer_path("contact"),
        )
    if place.county is None or place.province is None:
        yield Issue(
            message=f"the label must give the producer's address; {ctx.producer.name}'s place "
            "lacks the province or county",
            remedy="add province, county (and township, village) to the producer's place",
            field=ctx.producer_path("place"),
        )


def _storage_statement(ctx: LotContext) -> Iterator[Issue]:
    storage = ctx.product.storage_class
    low, high = storage.limits
    band = " to ".join(str(t) for t in (low, high) if t is not None)
    if storage in {StorageClass.CHILLED, StorageClass.FROZEN}:
        example = "0-4 °C 冷藏" if storage is StorageClass.CHILLED else "-18 °C 以下冷冻"
        yield Issue(
            message=f"{ctx.product.name} is {storage.value}: the package must state its "
            f"storage and transport temperature ({band})",
            remedy=f"print the storage condition on the label, e.g. '{example}'",
            field=ctx.product_path("storage"),
        )


# --- claims --------------------------------------------------------------------------------

# 广告法 (2015) Art. 9(3): "国家级", "最高级", "最佳" and the like are forbidden in ads.
_ABSOLUTE = ("国家级", "最高级", "最佳")
# Equivalents the regulator and platforms treat alike (SAIC reply 工商广字[1997]207号 for
# 极品; platform "extreme word" lists for the rest): research/compliance.md C-CN-13, P.
_EXTREME = ("极品", "第一", "唯一", "顶级", "首选", "最好", "最优", "最强", "最正宗", "全网最低")
# 食品安全法 Art. 71 (labels) and Art. 73 (ads): food may not claim to prevent or treat
# disease (research/compliance.md L-CN-5, C-CN-12, V).
_DISEASE = (
    "治疗",
    "治愈",
    "根治",
    "疗效",
    "药效",
    "防病",
    "预防疾病",
    "抗癌",
    "防癌",
    "降血压",
    "降血糖",
    "降血脂",
    "降三高",
    "消炎",
    "包治",
)
# Health-function claims are reserved for registered 保健食品 (广告法 Art. 17; research C-CN-14, U).
_HEALTH = (
    "补血",
    "滋阴",
    "补肾",
    "壮阳",
    "增强免疫力",
    "提高免疫力",
    "延年益寿",
    "养颜",
    "美容",
    "调理",
)


def _terms(ctx: LotContext, terms: tuple[str, ...], what: str, remedy: str) -> Iterator[Issue]:
    for path, term in find_terms(ctx.texts(), terms):
        yield Issue(message=f"{path} uses {term!r}: {what}", remedy=remedy, field=path)


def _absolute_terms(ctx: LotContext) -> Iterator[Issue]:
    yield from _terms(
        ctx,
        _ABSOLUTE,
        "absolute terms such as 国家级, 最高级 and 最佳 are banned in advertising, and a "
        "product title or description is advertising",
        "remove the word; describe the product with facts instead (breed, age, how it was raised)",
    )


def _extreme_terms(ctx: LotContext) -> Iterator[Issue]:
    yield from _terms(
        ctx,
        _EXTREME,
        "regulators and platforms treat this like the banned absolute terms",
        "remove the word or replace it with a fact you can prove",
    )


def _disease_claims(ctx: LotContext) -> Iterator[Issue]:
    yield from _terms(
        ctx,
        _DISEASE,
        "ordinary food may not claim to prevent or treat disease, on the label or in ads",
        "remove the health or disease claim",
    )


def _health_claims(ctx: LotContext) -> Iterator[Issue]:
    yield from _terms(
        ctx,
        _HEALTH,
        "health-function wording is reserved for registered health food (保健食品)",
        "remove the health-function wording, or describe traditional use without promising "
        "an effect",
    )


_QUARANTINE = Citation(
    "动物检疫管理办法 (农业部令2010年第6号)",
    "Art. 8, 10, 13",
    "http://hyper-publish.com/wenda/146.html",
)

PACK = RulePack(
    jurisdiction="CN",
    name="China (mainland)",
    description="Slaughter, licences, labelling, claims and shipping for farm food sold online "
    "in mainland China. Provincial rules (centralised poultry slaughter, small workshops) vary "
    "and are only warned about.",
    rules=[
        Rule(
            code="CN-SLAUGHTER-QUARANTINE-CERT",
            title="Poultry meat needs an animal quarantine certificate",
            jurisdiction="CN",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=_QUARANTINE,
            status=V,
            check=_quarantine_certificate,
            effective_from=dt.date(2010, 3, 1),
            note="The measures were reissued in 2022 (MARA Order 2022 No. 7) and the 2021 "
            "Animal Epidemic Prevention Law renames the certificate 动物检疫证明; the duty to "
            "quarantine is unchanged, the 2022 deadlines are not verified.",
        ),
        Rule(
            code="CN-SLAUGHTER-LICENSED-PLANT",
            title="Poultry for sale is slaughtered at a designated or licensed plant",
            jurisdiction="CN",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=Citation(
                "Provincial and city poultry slaughter rules (e.g. 重庆市 2020 指导意见; "
                "蚌埠市区禽类交易管理办法 2021)",
                None,
                "http://m.bbnews.cn/p/16445.html",
            ),
            status=P,
            check=_licensed_plant,
            note="No national rule names poultry for designated slaughter (the national regime "
            "covers pigs); local rules and platforms expect it.",
        ),
        Rule(
            code="CN-CHILLED-0-4C",
            title="Chilled poultry is brought to 0-4 °C within 24 h",
            jurisdiction="CN",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=Citation("GB/T 17238; GB 2707-2016 (definition of chilled meat)"),
            status=P,
            check=_chilling,
        ),
        Rule(
            code="CN-LIVE-ANIMALS-PARCEL",
            title="Live animals are not sent by parcel",
            jurisdiction="CN",
            topic=Topic.SHIPPING,
            kinds={"live_birds"},
            citation=Citation("Carrier and postal policies on prohibited items (live animals)"),
            status=U,
            check=_live_birds_by_parcel,
        ),
        Rule(
            code="CN-DRY-ICE-AIR",
            title="Dry ice by air is marked UN1845 and stays within 200 kg a package",
            jurisdiction="CN",
            topic=Topic.SHIPPING,
            citation=Citation(
                "IATA Dangerous Goods Regulations",
                "Packing Instruction 954",
                "https://www.tempcontrolpack.com/ar/knowledge/dry-ice-packing-instruction-2025-pi-954-49-cfr",
            ),
            status=P,
            check=_dry_ice_by_air,
        ),
        Rule(
            code="CN-SC-LICENCE",
            title="Processed food needs a food production licence (SC)",
            jurisdiction="CN",
            topic=Topic.LICENCES,
            kinds=_PROCESSED,
            profiles=set(SellerProfile) - {SellerProfile.SMALL_WORKSHOP},
            citation=Citation(
                "食品生产许可管理办法 (SAMR Order 2020 No. 24); 电子商务法",
                "Art. 12",
            ),
            status=V,
            check=_food_production_licence,
            effective_from=dt.date(2015, 10, 1),
        ),
        Rule(
            code="CN-SC-NUMBER-FORMAT",
            title="A food production licence number is SC and 14 digits",
            jurisdiction="CN",
            topic=Topic.LICENCES,
            citation=Citation("食品生产许可管理办法 (SAMR Order 2020 No. 24)", "licence number"),
            status=V,
            check=_sc_number_format,
            effective_from=dt.date(2015, 10, 1),
        ),
        Rule(
            code="CN-SMALL-WORKSHOP-ONLINE",
            title="Small workshops may be barred from online and out-of-area sale",
            jurisdiction="CN",
            topic=Topic.LICENCES,
            kinds=_PROCESSED,
            profiles={SellerProfile.SMALL_WORKSHOP},
            citation=Citation("Provincial 食品小作坊 regulations"),
            status=U,
            check=_small_workshop_online,
        ),
        Rule(
            code="CN-ECOMMERCE-BUSINESS-LICENCE",
            title="Online sellers show a business licence (farmers selling own produce excepted)",
            jurisdiction="CN",
            topic=Topic.LICENCES,
            citation=Citation("电子商务法", "Art. 10, 12, 15"),
            status=V,
            check=_business_licence,
            effective_from=dt.date(2019, 1, 1),
        ),
        Rule(
            code="CN-LABEL-PARTICULARS",
            title="The label gives the producer's name, address and contact",
            jurisdiction="CN",
            topic=Topic.LABELLING,
            kinds=_FOOD,
            citation=Citation("GB 7718-2011", "4.1; 食品安全法 Art. 67"),
            status=P,
            check=_label_particulars,
        ),
        Rule(
            code="CN-LABEL-STORAGE-TEMPERATURE",
            title="Chilled and frozen food states its storage temperature",
            jurisdiction="CN",
            topic=Topic.STORAGE,
            kinds=_FOOD,
            citation=Citation("GB/T 24616-2019", None, "http://gzkrd.com.cn/news_383.html"),
            status=V,
            severity=Severity.INFO,
            check=_storage_statement,
            effective_from=dt.date(2020, 3, 1),
        ),
        Rule(
            code="CN-AD-ABSOLUTE-TERMS",
            title="No absolute terms (最佳, 国家级, 最高级) in product texts",
            jurisdiction="CN",
            topic=Topic.CLAIMS,
            citation=Citation("广告法 (2015)", "Art. 9(3)"),
            status=V,
            check=_absolute_terms,
            effective_from=dt.date(2015, 9, 1),
        ),
        Rule(
            code="CN-AD-EXTREME-TERMS",
            title="No extreme words (极品, 第一, 顶级…) in product texts",
            jurisdiction="CN",
            topic=Topic.CLAIMS,
            citation=Citation("工商广字[1997]207号; platform banned-word lists"),
            status=P,
            check=_extreme_terms,
        ),
        Rule(
            code="CN-FOOD-DISEASE-CLAIMS",
            title="Food may not claim to prevent or treat disease",
            jurisdiction="CN",
            topic=Topic.CLAIMS,
            kinds=_FOOD | {"live_birds"},
            citation=Citation("食品安全法", "Art. 71, 73", "http://sdpaper.cfsn.cn"),
            status=V,
            check=_disease_claims,
            effective_from=dt.date(2015, 10, 1),
        ),
        Rule(
            code="CN-FOOD-HEALTH-FUNCTION-CLAIMS",
            title="Health-function wording is for registered health food only",
            jurisdiction="CN",
            topic=Topic.CLAIMS,
            kinds=_FOOD | {"live_birds"},
            citation=Citation("广告法 (2015)", "Art. 17; 保健食品注册与备案管理办法"),
            status=U,
            check=_health_claims,
        ),
    ],
)
"""The mainland China rule pack."""
