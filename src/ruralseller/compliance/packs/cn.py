"""Rules for selling farm food online in mainland China (CN).

Each rule cites the law, regulation or standard it rests on, with the article and a link to
the text (or the copy that was read), how well that was verified, and the days it is in
force; a rule replaced by a newer text keeps its dates, so a check of an old day answers as
the law stood then. Only rules whose source was verified block; the rest warn and say so.
``docs/explanations/compliance-sources.md`` lists every rule with its source and status.

Label rules follow the product's legal category (:func:`ruralseller.catalog.legal_category`):
a chilled whole bird, eggs and potatoes are edible agricultural products (食用农产品),
labelled under the rules for agricultural products and carrying the commitment certificate;
cured meat is prepackaged food (预包装食品) under GB 7718 and GB 28050.

This is not legal advice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ruralseller.catalog import (
    PRODUCT_KINDS,
    CommitmentBasis,
    CuredMeat,
    LegalCategory,
    LicenceKind,
    PackagedFood,
    ProducerKind,
    StorageClass,
    legal_category,
)
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

# 食品生产许可管理办法 (SAMR Order 2020 No. 24): "SC" + 14 digits; the first digit is 1
# (food) or 2 (food additive). The check-digit algorithm is not published, so it is not checked.
_SC_NUMBER = re.compile(r"SC[12]\d{13}")


# --- slaughter -----------------------------------------------------------------------------


def _quarantine_2010(ctx: LotContext) -> Iterator[Issue]:
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


def _quarantine_certificate(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.slaughter
    if record is not None and record.quarantine_certificate is None:
        yield Issue(
            message=f"lot {ctx.lot.id} has no quarantine certificate number (动物检疫证明); "
            "poultry meat is sold and carried only with the quarantine certificate and the "
            "quarantine mark (检疫标志)",
            remedy="declare the birds for quarantine to the county animal health supervision "
            "body before they are sold or slaughtered, have them slaughtered where the "
            "official vet inspects them, then enter the certificate number as "
            "slaughter.quarantine_certificate",
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


# IATA Dangerous Goods Regulations, packing instruction 954: at most 200 kg of dry ice per
# package (as summarised by the cited secondary source; the DGR text was not read).
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
    # 电子商务法 Art. 10: individuals selling farm and sideline products they produced
    # themselves (自产农副产品) or household handicrafts need no market-subject registration.
    if ctx.producer.kind is ProducerKind.FARMER:
        if ctx.product.kind in _PROCESSED and ctx.producer.licence(LicenceKind.BUSINESS) is None:
            yield Issue(
                message=f"{ctx.producer.name} is a farmer selling {ctx.product.name}: a farmer "
                "selling own farm and sideline products (自产农副产品) needs no business "
                "licence, but whether processed food counts as one is not settled",
                remedy="ask the county market regulation bureau whether your product counts as "
                "your own sideline product; the shop page must then say that no registration "
                "is needed (电子商务法 Art. 15)",
                field=ctx.producer_path("licences"),
                severity=Severity.WARNING,
            )
        return
    licence = ctx.producer.licence(LicenceKind.BUSINESS)
    if licence is None or not licence.is_valid_on(ctx.on):
        state = "holds no" if licence is None else "has no valid"
        yield Issue(
            message=f"{ctx.producer.name} {state} business licence (营业执照); online sellers "
            "other than individuals selling their own farm produce must register and show it "
            "on the shop page",
            remedy="register with the market regulation bureau and add the business licence "
            "(kind 'business') to the producer",
            field=ctx.producer_path("licences"),
        )


def _online_food_licence(ctx: LotContext) -> Iterator[Issue]:
    held = {
        LicenceKind.FOOD_PRODUCTION,
        LicenceKind.FOOD_BUSINESS,
        LicenceKind.SMALL_WORKSHOP,
    }
    if any(ctx.producer.licence(kind) is not None for kind in held):
        return
    yield Issue(
        message=f"{ctx.producer.name} sells {ctx.product.name} online with no food production "
        "licence, food business licence or workshop registration; food sold online needs the "
        "licence the law requires for it",
        remedy="obtain the food production licence (SC) or register the workshop, and add it "
        "to the producer's licences",
        field=ctx.producer_path("licences"),
    )


def _cold_chain_online(ctx: LotContext) -> Iterator[Issue]:
    storage = ctx.product.storage_class
    if storage not in {StorageClass.CHILLED, StorageClass.FROZEN}:
        return
    yield Issue(
        message=f"{ctx.product.name} is {storage.value}: sold online it must be stored and "
        "shipped in conditions that keep that temperature, by the seller or by a carrier "
        "able to do so",
        remedy="ship it with a cold-chain service or an insulated pack that holds the "
        "temperature for the whole journey (see `ruralseller plan` and `ruralseller pack`)",
        field=ctx.product_path("storage"),
    )


def _cold_chain_records(ctx: LotContext) -> Iterator[Issue]:
    storage = ctx.product.storage_class
    if storage not in {StorageClass.CHILLED, StorageClass.FROZEN}:
        return
    yield Issue(
        message=f"{ctx.product.name} travels in the cold chain: cold stores and vehicles need "
        "temperature monitoring and recording, and the temperature is checked and recorded "
        "at every hand-over",
        remedy="mark the package with its storage temperature, and keep the temperature "
        "records of storage and of each hand-over with the lot (a data logger in the parcel "
        "is the simplest way)",
        field=ctx.product_path("storage"),
    )


def _carrier_quarantine(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.slaughter
    if record is not None and record.quarantine_certificate is None:
        yield Issue(
            message=f"lot {ctx.lot.id} has no quarantine certificate: a carrier may not carry "
            "animal products whose sender gives no quarantine certificate",
            remedy="obtain the quarantine certificate at slaughter, enter it as "
            "slaughter.quarantine_certificate and give its number to the carrier",
            field=ctx.path("slaughter", "quarantine_certificate"),
        )


# --- labelling -----------------------------------------------------------------------------


def _category(ctx: LotContext) -> LegalCategory:
    return legal_category(ctx.product.kind, "CN")


def _producer_particulars(ctx: LotContext) -> Iterator[Issue]:
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


def _agricultural_particulars(ctx: LotContext) -> Iterator[Issue]:
    if _category(ctx) is LegalCategory.EDIBLE_AGRICULTURAL_PRODUCT:
        yield from _producer_particulars(ctx)


def _processed(ctx: LotContext) -> CuredMeat | PackagedFood | None:
    product = ctx.product
    return product if isinstance(product, CuredMeat | PackagedFood) else None


def _prepackaged_particulars(ctx: LotContext) -> Iterator[Issue]:
    if _category(ctx) is not LegalCategory.PREPACKAGED_FOOD:
        return
    yield from _producer_particulars(ctx)
    product = _processed(ctx)
    if product is None:
        return
    if not product.ingredients:
        yield Issue(
            message=f"{product.name} is prepackaged food: its label lists the ingredients "
            "(配料表), and the catalogue has none",
            remedy='add ingredients = ["猪肉", "食用盐", ...] to the product, heaviest first',
            field=ctx.product_path("ingredients"),
        )
    if product.standard is None:
        yield Issue(
            message=f"{product.name} is prepackaged food: its label gives the product standard "
            "code (产品标准代号) it is made to, and the catalogue has none",
            remedy='add standard = "..." to the product: the national, industry or enterprise '
            "standard the food is made to",
            field=ctx.product_path("standard"),
        )


def _prepackaged_particulars_2025(ctx: LotContext) -> Iterator[Issue]:
    yield from _prepackaged_particulars(ctx)
    product = _processed(ctx)
    if product is not None and product.allergens is None:
        yield Issue(
            message=f"{product.name} is prepackaged food: from 2027-03-16 (GB 7718-2025) its "
            "label must declare the allergens it contains, and the catalogue does not say",
            remedy="add allergens = [...] to the product (allergens = [] if it contains none)",
            field=ctx.product_path("allergens"),
        )


def _nutrition_panel(ctx: LotContext) -> Iterator[Issue]:
    product = _processed(ctx)
    if product is not None and not product.nutrition:
        yield Issue(
            message=f"{product.name} is processed prepackaged food: its label carries a "
            "nutrition panel (营养成分表: energy, protein, fat, carbohydrate, sodium per 100 g); "
            "only raw meat, fresh eggs and fresh produce are exempt",
            remedy='add nutrition = { energy = "... kJ", protein = "... g", fat = "... g", '
            'carbohydrate = "... g", sodium = "... mg" } to the product',
            field=ctx.product_path("nutrition"),
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


# --- the farmer's papers -------------------------------------------------------------------

# Kinds under the commitment-certificate measures (Art. 3: vegetables, fruit, tea, livestock
# and poultry, eggs, farmed aquatic products). Dressed poultry and potatoes are not named as
# such, so for them a missing certificate warns rather than blocks.
_CERTIFIED_KINDS = frozenset({"live_birds", "poultry_meat", "shell_eggs", "fresh_produce"})
_CERTIFIED_FOR_SURE = frozenset({"live_birds", "shell_eggs"})
_MUST_ISSUE = frozenset({SellerProfile.COOPERATIVE, SellerProfile.LICENSED_PLANT})
_BASIS_ZH = {
    CommitmentBasis.SELF_TEST: "self-test (自行检测)",
    CommitmentBasis.COMMISSIONED_TEST: "commissioned test (委托检测)",
    CommitmentBasis.INTERNAL_QUALITY_CONTROL: "internal quality control (内部质量控制)",
    CommitmentBasis.OWN_COMMITMENT: "own commitment (自我承诺)",
}


def _commitment_certificate(ctx: LotContext) -> Iterator[Issue]:
    certificate = ctx.lot.certificate
    if certificate is None:
        must = ctx.profile in _MUST_ISSUE
        severity = None
        if not must:
            severity = Severity.INFO
        elif ctx.product.kind not in _CERTIFIED_FOR_SURE:
            severity = Severity.WARNING
        who = (
            "producer enterprises and cooperatives must issue one with every batch they sell, "
            "online included"
            if must
            else "farmers are encouraged to issue one, and buyers and platforms often ask for it"
        )
        yield Issue(
            message=f"lot {ctx.lot.id} has no commitment certificate (承诺达标合格证): {who}",
            remedy="issue the certificate for the lot (`ruralseller certificate` prints it), "
            "record it as lots[].certificate with the test or control records it rests on, "
            "and keep them at least six months",
            field=ctx.path("certificate"),
            severity=severity,
        )
        return
    for basis in certificate.unsupported_basis():
        yield Issue(
            message=f"the certificate of lot {ctx.lot.id} rests on a {_BASIS_ZH[basis]} but "
            "lists no record of one",
            remedy=f"add the record (report number, date, what was tested) under "
            f"certificate.records with kind = '{basis.value}', or drop that basis",
            field=ctx.path("certificate", "records"),
        )


# --- claims --------------------------------------------------------------------------------

# 广告法 (2015) Art. 9(3): "国家级", "最高级", "最佳" and the like are forbidden in ads.
_ABSOLUTE = ("国家级", "最高级", "最佳")
# Equivalents the regulator and platforms treat alike (SAIC reply 工商广字[1997]207号 for
# 极品; platform "extreme word" lists for the rest): partly verified.
_EXTREME = ("极品", "第一", "唯一", "顶级", "首选", "最好", "最优", "最强", "最正宗", "全网最低")
# 食品安全法 Art. 71 (labels) and Art. 73 (ads): food may not claim to prevent or treat
# disease.
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
# Health-function claims are reserved for registered 保健食品 (广告法 Art. 17; 食品安全法实施条例
# Art. 38: not read, so unverified).
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


# --- sources -------------------------------------------------------------------------------
#
# Where each text (or the copy that was read) is. Official pages where one was found; a
# reputable copy otherwise; the food-safety standards themselves are published in the
# national food-safety standards database of the CFSA.

_CFSA_STANDARDS = "https://sppt.cfsa.net.cn:8086/db"
# 动物防疫法 (2021 revision), on the Zhongshan agriculture bureau's page explaining it.
_EPIDEMIC_LAW_URL = "http://nync.zs.gov.cn/zwgk/gab/gzdt/content/post_2292574.html"
_QUARANTINE_2010 = Citation(
    "动物检疫管理办法 (农业部令2010年第6号)",
    "Art. 8, 10, 13",
    "http://www.chinagate.cn/health/2013-04/19/content_28594521_2.htm",
)
_QUARANTINE = Citation(
    "动物防疫法 (2021); 动物检疫管理办法 (农业农村部令2022年第7号)",
    "Art. 49 (检疫证明, 检疫标志)",
    _EPIDEMIC_LAW_URL,
)
_CARRIER = Citation("动物防疫法 (2021)", "Art. 52", _EPIDEMIC_LAW_URL)
_PIG_SLAUGHTER = Citation(
    "生猪屠宰管理条例 (2021); provincial and city poultry slaughter rules",
    "Art. 42",
    "http://www.moa.gov.cn/gk/zcfg/xzfg/202107/t20210723_6372586.htm",
)
_AGRI_LAW = Citation(
    "农产品质量安全法 (2022)",
    "Art. 39",
    "http://nynct.gxzf.gov.cn/xwdt/gxlb/nn/t27173205.shtml",
)
_CERTIFICATE = Citation(
    "农产品质量安全法 (2022) Art. 39; "
    "农产品质量安全承诺达标合格证管理办法 (农业农村部令2025年第4号)",
    "Art. 3 (products), Art. 2 (commitment)",
    "https://scjgj.huainan.gov.cn/xwdt/tzgg/551853594.html",
)
_ECOMMERCE = "http://www.bjxgfjob.com/changshi/118462.html"
_ONLINE_FOOD = "网络食品安全违法行为查处办法 (国家食品药品监督管理总局令第27号)"
_GB7718_2011 = Citation(
    "GB 7718-2011 预包装食品标签通则",
    "4.1",
    "https://bepurecrm.com/standard_library_detail/386.html",
)
_GB7718_2025 = Citation(
    "GB 7718-2025 预包装食品标签通则",
    "mandatory particulars; allergens",
    "https://www.freebz.net/guojia/576762.html",
)
_AGRI_SALE_2016 = Citation(
    "食用农产品市场销售质量安全监督管理办法 (国家食品药品监督管理总局令第20号)",
    "packaging and labelling articles (not read)",
)
_AGRI_SALE_2023 = Citation(
    "食用农产品市场销售质量安全监督管理办法 (国家市场监督管理总局令第81号)",
    "packaging and labelling articles (not read)",
)

_GB7718_2011_IN_FORCE = dt.date(2012, 4, 20)
_GB7718_2025_IN_FORCE = dt.date(2027, 3, 16)
_QUARANTINE_2022_IN_FORCE = dt.date(2022, 12, 1)
_CERTIFICATE_MEASURES_IN_FORCE = dt.date(2026, 2, 1)
_AGRI_LAW_2022_IN_FORCE = dt.date(2023, 1, 1)
_EPIDEMIC_LAW_2021_IN_FORCE = dt.date(2021, 5, 1)
_ONLINE_FOOD_IN_FORCE = dt.date(2016, 10, 1)
_AGRI_SALE_2016_IN_FORCE = dt.date(2016, 3, 1)
_AGRI_SALE_2023_IN_FORCE = dt.date(2023, 12, 1)


def _kinds_in(category: LegalCategory) -> frozenset[str]:
    return frozenset(kind for kind in PRODUCT_KINDS if legal_category(kind, "CN") is category)


_AGRICULTURAL_KINDS = _kinds_in(LegalCategory.EDIBLE_AGRICULTURAL_PRODUCT)
_PREPACKAGED_KINDS = _kinds_in(LegalCategory.PREPACKAGED_FOOD)
_COLD = frozenset({"poultry_meat", "packaged_food"})  # kinds that can be chilled or frozen

PACK = RulePack(
    jurisdiction="CN",
    name="China (mainland)",
    description="Slaughter and quarantine, the commitment certificate, licences, labels by "
    "legal category (edible agricultural product or prepackaged food), the cold chain, claims "
    "and shipping for farm food sold online in mainland China. Provincial rules (designated "
    "poultry slaughter, small workshops) vary and are only warned about.",
    rules=[
        Rule(
            code="CN-SLAUGHTER-QUARANTINE-CERT-2010",
            title="Poultry meat needs an animal quarantine certificate (2010 measures)",
            jurisdiction="CN",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=_QUARANTINE_2010,
            status=V,
            check=_quarantine_2010,
            effective_from=dt.date(2010, 3, 1),
            superseded_on=_QUARANTINE_2022_IN_FORCE,
            note="Replaced on 2022-12-01 by the 2022 measures under the 2021 Animal Epidemic "
            "Prevention Law (CN-SLAUGHTER-QUARANTINE-CERT). The cited page is the China "
            "Development Gateway's copy of the 2010 text.",
        ),
        Rule(
            code="CN-SLAUGHTER-QUARANTINE-CERT",
            title="Poultry meat is sold with the quarantine certificate and quarantine mark",
            jurisdiction="CN",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=_QUARANTINE,
            status=V,
            check=_quarantine_certificate,
            effective_from=_QUARANTINE_2022_IN_FORCE,
            note="Art. 49: before animals are slaughtered or sold, or animal products sold or "
            "carried, the owner declares them for quarantine; if they pass, the official vet "
            "issues the quarantine certificate (动物检疫证明) and applies the quarantine mark. "
            "Art. 49's text was read in a quotation; the cited official page explains Art. 52 "
            "of the same law. The 2022 measures' declaration deadlines were not verified, so "
            "the remedy gives none.",
        ),
        Rule(
            code="CN-CARRIER-QUARANTINE-CERT",
            title="Carriers take animal products only with their quarantine certificate",
            jurisdiction="CN",
            topic=Topic.SHIPPING,
            kinds={"poultry_meat"},
            citation=_CARRIER,
            status=V,
            check=_carrier_quarantine,
            effective_from=_EPIDEMIC_LAW_2021_IN_FORCE,
            note="Art. 52: whoever sends animals or animal products by air, rail, road or "
            "water provides the quarantine certificate; without it the carrier may not carry "
            "them. The in-force date of the 2021 revision (2021-05-01) was not read on an "
            "official page.",
        ),
        Rule(
            code="CN-SLAUGHTER-LICENSED-PLANT",
            title="Poultry for sale is slaughtered at a designated or licensed plant",
            jurisdiction="CN",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=_PIG_SLAUGHTER,
            status=P,
            check=_licensed_plant,
            effective_from=dt.date(2021, 8, 1),
            note="The national designated-slaughter regulation names pigs; its Art. 42 (read "
            "on the MARA page) lets provinces choose other animals for designated slaughter "
            "and write their own rules for them, and many provinces and cities require "
            "centralised poultry slaughter (e.g. 蚌埠市区禽类交易管理办法 2021). Whether "
            "Jiangxi has designated poultry was not found: only a secondary page mentions a "
            "Jiangxi policy to promote centralised slaughter of cattle, sheep and poultry "
            "(unverified).",
        ),
        Rule(
            code="CN-CHILLED-0-4C",
            title="Chilled poultry is brought to 0-4 °C within 24 h",
            jurisdiction="CN",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=Citation(
                "GB/T 17238; GB 2707-2016 (definition of chilled meat)", None, _CFSA_STANDARDS
            ),
            status=P,
            check=_chilling,
            effective_from=dt.date(2017, 9, 17),
            note="The 0-4 °C within 24 h definition is as commonly cited; the clause was not "
            "read. GB 2707-2016's in-force date (2017-09-17) is from memory (U).",
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
            note="Carrier policy, not law; no source found.",
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
            note="From a secondary summary of PI 954, not the DGR text.",
        ),
        Rule(
            code="CN-COMMITMENT-CERT-2023",
            title="Farm produce leaves the farm with a commitment certificate (law of 2022)",
            jurisdiction="CN",
            topic=Topic.LICENCES,
            kinds=_CERTIFIED_KINDS,
            citation=_AGRI_LAW,
            status=P,
            check=_commitment_certificate,
            effective_from=_AGRI_LAW_2022_IN_FORCE,
            superseded_on=_CERTIFICATE_MEASURES_IN_FORCE,
            note="Art. 39: producer enterprises and cooperatives issue a commitment certificate "
            "for the produce they sell; farmers are encouraged to. Read in official summaries, "
            "not in the law's text; its in-force date (2023-01-01) is from memory. From "
            "2026-02-01 the MARA measures govern it (CN-COMMITMENT-CERTIFICATE).",
        ),
        Rule(
            code="CN-COMMITMENT-CERTIFICATE",
            title="Farm produce is sold with a commitment certificate (承诺达标合格证)",
            jurisdiction="CN",
            topic=Topic.LICENCES,
            kinds=_CERTIFIED_KINDS,
            citation=_CERTIFICATE,
            status=V,
            check=_commitment_certificate,
            effective_from=_CERTIFICATE_MEASURES_IN_FORCE,
            note="MARA Order 2025 No. 4, published 2025-12-02, in force 2026-02-01 (read on the "
            "Huainan and Guangxi government pages): vegetables, fruit, tea leaves, livestock "
            "and poultry, eggs and farmed aquatic products carry the certificate, online sales "
            "included; enterprises and cooperatives issue it for every batch and keep records "
            "at least six months; farmers are encouraged, not obliged. Dressed poultry and "
            "potatoes are not named as such, so for them it warns.",
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
                _ECOMMERCE,
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
            note="Provincial rules differ; none was read.",
        ),
        Rule(
            code="CN-ECOMMERCE-BUSINESS-LICENCE",
            title="Online sellers show a business licence (farmers selling own produce excepted)",
            jurisdiction="CN",
            topic=Topic.LICENCES,
            citation=Citation("电子商务法", "Art. 10, 12, 15", _ECOMMERCE),
            status=V,
            check=_business_licence,
            effective_from=dt.date(2019, 1, 1),
            note="Art. 10 exempts individuals selling their own farm and sideline products "
            "(自产农副产品) and household handicrafts from registration: a producer of kind "
            "'farmer' is never blocked; for processed food it warns, since whether that counts "
            "as a sideline product is not settled. The cited page is a copy of the law's text.",
        ),
        Rule(
            code="CN-ONLINE-FOOD-LICENCE",
            title="Processed food sold online needs the licence the law requires for it",
            jurisdiction="CN",
            topic=Topic.LICENCES,
            kinds=_PROCESSED,
            citation=Citation(_ONLINE_FOOD, "Art. 16"),
            status=P,
            check=_online_food_licence,
            effective_from=_ONLINE_FOOD_IN_FORCE,
            note="Art. 16: food producers and traders selling online hold a licence unless the "
            "law requires none (edible agricultural products need none: 食品安全法 Art. 35). "
            "The article's text and the measures' in-force date were not read on an official "
            "page (no official copy found).",
        ),
        Rule(
            code="CN-ONLINE-FOOD-COLD-CHAIN",
            title="Chilled and frozen food sold online is stored and shipped cold",
            jurisdiction="CN",
            topic=Topic.STORAGE,
            kinds=_COLD,
            citation=Citation(_ONLINE_FOOD, "Art. 20"),
            status=P,
            severity=Severity.INFO,
            check=_cold_chain_online,
            effective_from=_ONLINE_FOOD_IN_FORCE,
            note="Art. 20: food needing chilled or frozen storage is stored and carried in "
            "suitable conditions, or handed to a carrier able to do so. Not read on an "
            "official page.",
        ),
        Rule(
            code="CN-COLD-CHAIN-RECORDS",
            title="The cold chain monitors and records temperature at every hand-over",
            jurisdiction="CN",
            topic=Topic.STORAGE,
            kinds=_COLD,
            citation=Citation(
                "GB 31605-2020 食品冷链物流卫生规范", "3.1 (devices), hand-over", _CFSA_STANDARDS
            ),
            status=V,
            severity=Severity.INFO,
            check=_cold_chain_records,
            effective_from=dt.date(2021, 3, 11),
            note="Mandatory national standard in force 2021-03-11; scope and the monitoring, "
            "recording and alarm devices of clause 3.1 read in a reproduction of the standard "
            "(hntybz.com, China Federation of Logistics cold-chain committee). Hand-over "
            "tolerances were not read.",
        ),
        Rule(
            code="CN-LABEL-AGRICULTURAL",
            title="Packed farm produce shows its name, origin and producer",
            jurisdiction="CN",
            topic=Topic.LABELLING,
            kinds=_AGRICULTURAL_KINDS,
            citation=_AGRI_SALE_2023,
            status=U,
            check=_agricultural_particulars,
            effective_from=_AGRI_SALE_2023_IN_FORCE,
            note="Edible agricultural products (a chilled whole bird, eggs, potatoes) are "
            "labelled under the SAMR measures on their sale, not GB 7718. The articles and the "
            "in-force date (2023-12-01) are from memory: unverified.",
        ),
        Rule(
            code="CN-LABEL-AGRICULTURAL-2016",
            title="Packed farm produce shows its name, origin and producer (2016 measures)",
            jurisdiction="CN",
            topic=Topic.LABELLING,
            kinds=_AGRICULTURAL_KINDS,
            citation=_AGRI_SALE_2016,
            status=U,
            check=_agricultural_particulars,
            effective_from=_AGRI_SALE_2016_IN_FORCE,
            superseded_on=_AGRI_SALE_2023_IN_FORCE,
            note="The CFDA measures the 2023 SAMR measures replaced; dates from memory.",
        ),
        Rule(
            code="CN-LABEL-PREPACKAGED-2011",
            title="Prepackaged food carries the GB 7718-2011 label particulars",
            jurisdiction="CN",
            topic=Topic.LABELLING,
            kinds=_PREPACKAGED_KINDS,
            citation=_GB7718_2011,
            status=P,
            check=_prepackaged_particulars,
            effective_from=_GB7718_2011_IN_FORCE,
            superseded_on=_GB7718_2025_IN_FORCE,
            note="Applies to prepackaged food (cured meat, packaged food), not to edible "
            "agricultural products. Checks what the catalogue holds: producer address and "
            "contact, ingredients, product standard code (the SC number is CN-SC-LICENCE). "
            "The list of particulars is consistent across secondary sources; the standard's "
            "text was not read. Replaced by GB 7718-2025 on 2027-03-16.",
        ),
        Rule(
            code="CN-LABEL-PREPACKAGED-2025",
            title="Prepackaged food carries the GB 7718-2025 label particulars, allergens included",
            jurisdiction="CN",
            topic=Topic.LABELLING,
            kinds=_PREPACKAGED_KINDS,
            citation=_GB7718_2025,
            status=P,
            check=_prepackaged_particulars_2025,
            effective_from=_GB7718_2025_IN_FORCE,
            note="Published 2025-03-16 by the NHC and SAMR, in force 2027-03-16 (dates and "
            "scope read in a standards index); mandatory allergen declaration is reported but "
            "the clause was not read.",
        ),
        Rule(
            code="CN-LABEL-NUTRITION-2011",
            title="Processed prepackaged food carries a nutrition panel (GB 28050-2011)",
            jurisdiction="CN",
            topic=Topic.LABELLING,
            kinds=_PREPACKAGED_KINDS,
            citation=Citation(
                "GB 28050-2011 预包装食品营养标签通则",
                "nutrition panel; exemptions for fresh food",
                "https://www.freebz.net/guojia/292109.html",
            ),
            status=P,
            check=_nutrition_panel,
            effective_from=dt.date(2013, 1, 1),
            superseded_on=_GB7718_2025_IN_FORCE,
            note="Raw meat, raw poultry, fresh eggs and fresh produce are exempt; cured meat "
            "is not. In force 2013-01-01 (standards index); the exemption list is from "
            "secondary sources.",
        ),
        Rule(
            code="CN-LABEL-NUTRITION-2025",
            title="Processed prepackaged food carries a nutrition panel (GB 28050-2025)",
            jurisdiction="CN",
            topic=Topic.LABELLING,
            kinds=_PREPACKAGED_KINDS,
            citation=Citation("GB 28050-2025 预包装食品营养标签通则", None, _CFSA_STANDARDS),
            status=U,
            check=_nutrition_panel,
            effective_from=_GB7718_2025_IN_FORCE,
            note="GB 28050-2025 exists (a standards index links it with GB 7718-2025); its "
            "in-force date is assumed to be GB 7718-2025's, 2027-03-16: unverified.",
        ),
        Rule(
            code="CN-LABEL-STORAGE-TEMPERATURE",
            title="Chilled and frozen prepackaged food states its storage temperature",
            jurisdiction="CN",
            topic=Topic.STORAGE,
            kinds=_PREPACKAGED_KINDS,
            citation=Citation(
                "GB 7718-2011 预包装食品标签通则 (storage conditions, 贮存条件)",
                "4.1.7",
                _CFSA_STANDARDS,
            ),
            status=P,
            severity=Severity.INFO,
            check=_storage_statement,
            effective_from=_GB7718_2011_IN_FORCE,
            note="Rests on the mandatory GB 7718 (kept by the 2025 edition, as reported), not "
            "the voluntary GB/T 24616-2019; edible agricultural products such as a chilled "
            "whole bird are reminded of the cold chain by CN-COLD-CHAIN-RECORDS "
            "(GB 31605-2020) instead. The clause number 4.1.7 is from memory.",
        ),
        Rule(
            code="CN-AD-ABSOLUTE-TERMS",
            title="No absolute terms (最佳, 国家级, 最高级) in product texts",
            jurisdiction="CN",
            topic=Topic.CLAIMS,
            citation=Citation(
                "广告法 (2015)", "Art. 9(3)", "https://www.51dongshi.net/wzztf/rdrvc/rdrvceres"
            ),
            status=V,
            check=_absolute_terms,
            effective_from=dt.date(2015, 9, 1),
            note="Art. 9(3) read as quoted in a legal Q&A page (the link); in force from "
            "2015-09-01.",
        ),
        Rule(
            code="CN-AD-EXTREME-TERMS",
            title="No extreme words (极品, 第一, 顶级…) in product texts",
            jurisdiction="CN",
            topic=Topic.CLAIMS,
            citation=Citation(
                "工商广字[1997]207号; platform banned-word lists",
                None,
                "https://xj.zkzxpx.net/xj/zcfg/qtfg/101626999973996.html",
            ),
            status=P,
            check=_extreme_terms,
            note="The 1997 reply (read in a regulations database copy, the link) treats 极品 "
            "like 最高级 and 最佳; the other words come from platforms' lists.",
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
            citation=Citation(
                "广告法 (2015) Art. 17; 食品安全法实施条例 (2019)",
                "Art. 38 (食品安全法实施条例)",
            ),
            status=U,
            check=_health_claims,
            effective_from=dt.date(2019, 12, 1),
            note="食品安全法实施条例 Art. 38 is reported to bar health-function claims for food "
            "other than registered health food; the article was not read, and the in-force "
            "date (2019-12-01) is from memory.",
        ),
    ],
)
"""The mainland China rule pack."""
