"""Generate the embedded sample: loader/ingestion/sample/items.jsonl and loader/ingestion/sample/extractions.jsonl.

Deterministic (fixed seed, fixed clock): running it again writes the same bytes. The output is
committed; run this only to change the sample:

    .venv/bin/python scripts/generate_sample.py

Four shops with their own conventions list products from 20 leaf categories of the domain pack
in seeds/domain_pack/ (English, Traditional Chinese, a few Japanese), with shop attribute keys
and values spelled the way shops spell them. An LLM's extraction results cover most items.
Some values, attribute names and free terms are unknown to the vocabulary on purpose (they
feed the candidate layer), and a few lines at the end of each file are bad on purpose (the
loader must reject them).
"""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACK = REPO / "seeds" / "domain_pack"
OUT = REPO / "loader" / "ingestion" / "sample"
CLOCK = datetime(2026, 10, 1, tzinfo=timezone.utc)
rng = random.Random(20261124)

# --- vocabulary from the domain pack -------------------------------------------------------
with (PACK / "domain_categories.csv").open(encoding="utf-8") as f:
    CATEGORIES = {row["category_id"]: row for row in csv.DictReader(f)}
with (PACK / "domain_labels.csv").open(encoding="utf-8") as f:
    LABELS = {
        (row["entity_type"], row["entity_id"], row["locale"]): row["label"]
        for row in csv.DictReader(f)
    }


def path_of(category_id: str) -> list[str]:
    path = []
    while category_id:
        path.insert(0, category_id)
        category_id = CATEGORIES[category_id]["parent_id"]
    return path


def label(category_id: str, locale: str) -> str:
    return LABELS.get(("category", category_id, locale)) or CATEGORIES[category_id]["name"]


# --- how shops write values ----------------------------------------------------------------
# canonical -> (english spellings, zh-TW, ja); None marks values the vocabulary lacks.
COLORS = {
    "black": (["Black", "black", "BLACK", "Jet Black"], "黑色", "ブラック"),
    "white": (["White", "white", "Off White"], "白色", "ホワイト"),
    "gray": (["Grey", "grey", "Gray", "gray", "Dark Grey", "Space Gray"], "灰色", "グレー"),
    "silver": (["Silver", "silver"], "銀色", "シルバー"),
    "blue": (["Blue", "blue"], "藍色", "ブルー"),
    "navy": (["Navy", "navy"], "深藍色", "ネイビー"),
    "red": (["Red", "red"], "紅色", "レッド"),
    "pink": (["Pink", "pink"], "粉紅色", "ピンク"),
    "green": (["Green", "green"], "綠色", "グリーン"),
    "beige": (["Beige", "beige"], "米色", "ベージュ"),
    "gold": (["Gold", "gold"], "金色", "ゴールド"),
    "champagne": (["Champagne"], "香檳色", "シャンパン"),  # deprecated value
    None: (["Midnight Blue", "Sage Green", "Lavender Mist"], "午夜藍", "ミッドナイトブルー"),
}
MATERIALS = {
    "cotton": (["Cotton", "100% Cotton", "cotton"], "棉", "綿"),
    "polyester": (["Polyester", "polyester"], "聚酯纖維", "ポリエステル"),
    "leather": (["Leather", "Genuine Leather"], "皮革", "レザー"),
    "faux leather": (["PU Leather", "Vegan Leather", "Faux Leather"], "人造皮革", "合成皮革"),
    "denim": (["Denim", "denim"], "丹寧", "デニム"),
    "stainless steel": (
        ["Stainless Steel", "Stainless-Steel", "stainless_steel", "Stainless"],
        "不鏽鋼",
        "ステンレス",
    ),
    "aluminum": (["Aluminium", "Aluminum"], "鋁", "アルミ"),
    "nylon": (["Nylon", "nylon"], "尼龍", "ナイロン"),
    "rubber": (["Rubber", "Natural Rubber"], "橡膠", "ゴム"),
    None: (
        [
            "Stainles Steel",
            "Recycled Polyester",
            "recycled polyster",
            "Recycled-Polyester",
            "Organic Cotton",
        ],
        "再生聚酯纖維",
        "リサイクルポリエステル",
    ),
}
KEYS = {  # attribute -> key per source
    "color": {
        "north_mall": "Color",
        "bazaar_in": "Colour",
        "taipei_market": "顏色",
        "tokyo_select": "カラー",
    },
    "brand": {
        "north_mall": "Brand",
        "bazaar_in": "Brand",
        "taipei_market": "品牌",
        "tokyo_select": "ブランド",
    },
    "memory_ram": {
        "north_mall": "RAM",
        "bazaar_in": "RAM",
        "taipei_market": "記憶體",
        "tokyo_select": "メモリ",
    },
    "storage_capacity": {
        "north_mall": "Storage",
        "bazaar_in": "Internal Storage",
        "taipei_market": "容量",
        "tokyo_select": "ストレージ容量",
    },
    "screen_size": {
        "north_mall": "Screen Size",
        "bazaar_in": "Display Size",
        "taipei_market": "螢幕尺寸",
        "tokyo_select": "画面サイズ",
    },
    "weight": {
        "north_mall": "Weight",
        "bazaar_in": "Weight",
        "taipei_market": "重量",
        "tokyo_select": "重量",
    },
    "material": {
        "north_mall": "Material",
        "bazaar_in": "Fabric",
        "taipei_market": "材質",
        "tokyo_select": "素材",
    },
    "size": {
        "north_mall": "Size",
        "bazaar_in": "Size",
        "taipei_market": "尺寸",
        "tokyo_select": "サイズ",
    },
    "gender": {
        "north_mall": "Gender",
        "bazaar_in": "Ideal For",
        "taipei_market": "適用性別",
        "tokyo_select": "対象",
    },
    "operating_system": {
        "north_mall": "Operating System",
        "bazaar_in": "OS",
        "taipei_market": "作業系統",
        "tokyo_select": "OS",
    },
    "connectivity": {
        "north_mall": "Connectivity",
        "bazaar_in": "Connectivity",
        "taipei_market": "連接方式",
        "tokyo_select": "接続",
    },
    "resolution": {
        "north_mall": "Resolution",
        "bazaar_in": "Resolution",
        "taipei_market": "解析度",
        "tokyo_select": "解像度",
    },
    "capacity_volume": {
        "north_mall": "Capacity",
        "bazaar_in": "Capacity",
        "taipei_market": "容積",
        "tokyo_select": "容量",
    },
    "battery_life": {
        "north_mall": "Battery Life",
        "bazaar_in": "Battery Life",
        "taipei_market": "電池續航力",
        "tokyo_select": "バッテリー",
    },
    "waterproof": {
        "north_mall": "Waterproof",
        "bazaar_in": "Water Resistant",
        "taipei_market": "防水",
        "tokyo_select": "防水",
    },
    "wireless": {
        "north_mall": "Wireless",
        "bazaar_in": "Wireless",
        "taipei_market": "無線",
        "tokyo_select": "ワイヤレス",
    },
}
# shop keys the vocabulary does not know (candidates of type `attribute`)
EXTRA_KEYS = {
    "north_mall": [("Warranty", ["1 Year", "2 Years"]), ("Refresh Rate", ["120Hz", "144Hz"])],
    "bazaar_in": [
        ("Sleeve Length", ["Half Sleeve", "Full Sleeve"]),
        ("Type", ["Casual"]),
        ("Noise Cancellation", ["Yes"]),
    ],
    "taipei_market": [("保固", ["一年", "兩年"]), ("產地", ["台灣", "中國"])],
    "tokyo_select": [("保証期間", ["1年"])],
}
LANGUAGE = {"north_mall": "en", "bazaar_in": "en", "taipei_market": "zh-TW", "tokyo_select": "ja"}
PREFIX = {"north_mall": "nm", "bazaar_in": "bz", "taipei_market": "tp", "tokyo_select": "ts"}
DOMAIN = {
    "north_mall": "northmall.example.com",
    "bazaar_in": "bazaar.example.in",
    "taipei_market": "shop.taipeimarket.example.tw",
    "tokyo_select": "tokyoselect.example.jp",
}
CURRENCY = {"north_mall": "USD", "bazaar_in": "INR", "taipei_market": "TWD", "tokyo_select": "JPY"}
PRICE_FACTOR = {"north_mall": 1, "bazaar_in": 83, "taipei_market": 32, "tokyo_select": 150}

# --- products per leaf category ------------------------------------------------------------
# brands as (en, zh); nouns (en, zh, ja); attributes drawn for each product; free terms the
# model may mention (en, zh, ja); price range in USD.
PRODUCTS = {
    "laptops": dict(
        brands=[
            ("Lenovo", "聯想"),
            ("ASUS", "華碩"),
            ("Acer", "宏碁"),
            ("Apple", "Apple"),
            ("Dell", "戴爾"),
            ("HP", "惠普"),
        ],
        models=[
            "IdeaPad Slim 3",
            "Zenbook 14 OLED",
            "Swift Go 14",
            "MacBook Air 13",
            "Inspiron 15",
            "Pavilion Plus 14",
            "Vivobook S15",
            "ThinkPad E14",
        ],
        noun=("Laptop", "筆記型電腦", "ノートパソコン"),
        attrs=[
            "color",
            "memory_ram",
            "storage_capacity",
            "screen_size",
            "weight",
            "operating_system",
        ],
        terms=[
            ("backlit keyboard", "背光鍵盤", "バックライトキーボード"),
            ("thin and light", "輕薄", "薄型軽量"),
            ("fast charging", "快充", "急速充電"),
        ],
        price=(450, 1600),
    ),
    "smartphones": dict(
        brands=[
            ("Samsung", "三星"),
            ("Apple", "Apple"),
            ("Xiaomi", "小米"),
            ("Google", "Google"),
            ("OPPO", "OPPO"),
            ("Sony", "索尼"),
        ],
        models=[
            "Galaxy S24",
            "iPhone 15",
            "Redmi Note 13 Pro",
            "Pixel 8a",
            "Reno 11",
            "Xperia 10 V",
        ],
        noun=("Smartphone", "智慧型手機", "スマートフォン"),
        attrs=[
            "color",
            "storage_capacity",
            "memory_ram",
            "screen_size",
            "operating_system",
            "connectivity",
        ],
        terms=[
            ("fast charging", "快充", "急速充電"),
            ("night mode camera", "夜拍", "ナイトモード"),
            ("wireless charging", "無線充電", "ワイヤレス充電"),
        ],
        price=(250, 1200),
    ),
    "tablets": dict(
        brands=[("Apple", "Apple"), ("Samsung", "三星"), ("Lenovo", "聯想")],
        models=["iPad Air 11", "Galaxy Tab S9 FE", "Tab P12"],
        noun=("Tablet", "平板電腦", "タブレット"),
        attrs=["color", "storage_capacity", "screen_size", "operating_system"],
        terms=[("stylus support", "支援觸控筆", "スタイラス対応")],
        price=(300, 900),
    ),
    "headphones": dict(
        brands=[("Sony", "索尼"), ("Bose", "Bose"), ("Audio-Technica", "鐵三角")],
        models=["WH-1000XM5", "QuietComfort Ultra", "ATH-M50x"],
        noun=("Over-Ear Headphones", "耳罩式耳機", "ヘッドホン"),
        attrs=["color", "wireless", "battery_life", "connectivity"],
        terms=[
            ("noise cancelling", "降噪", "ノイズキャンセリング"),
            ("foldable design", "可折疊", "折りたたみ"),
        ],
        price=(120, 450),
    ),
    "earbuds": dict(
        brands=[("Apple", "Apple"), ("Sony", "索尼"), ("JBL", "JBL"), ("Xiaomi", "小米")],
        models=["AirPods Pro 2", "WF-1000XM5", "Tune Beam", "Redmi Buds 5"],
        noun=("True Wireless Earbuds", "真無線藍牙耳機", "ワイヤレスイヤホン"),
        attrs=["color", "battery_life", "waterproof", "connectivity"],
        terms=[
            ("noise cancelling", "降噪", "ノイズキャンセリング"),
            ("low latency", "低延遲", "低遅延"),
        ],
        price=(30, 280),
    ),
    "televisions": dict(
        brands=[("Samsung", "三星"), ("LG", "LG"), ("Sony", "索尼"), ("TCL", "TCL")],
        models=["Crystal UHD CU7000", "OLED evo C3", "Bravia X80L", "C645"],
        noun=("Smart TV", "液晶電視", "テレビ"),
        attrs=["screen_size", "resolution", "operating_system", "connectivity"],
        terms=[
            ("dolby vision", "杜比視界", "ドルビービジョン"),
            ("wall mountable", "可壁掛", "壁掛け対応"),
        ],
        price=(300, 2000),
    ),
    "smartwatches": dict(
        brands=[("Apple", "Apple"), ("Samsung", "三星"), ("Garmin", "Garmin")],
        models=["Watch Series 9", "Galaxy Watch6", "Venu 3"],
        noun=("Smartwatch", "智慧手錶", "スマートウォッチ"),
        attrs=["color", "battery_life", "waterproof", "operating_system"],
        terms=[
            ("heart rate monitor", "心率偵測", "心拍計"),
            ("sleep tracking", "睡眠監測", "睡眠計測"),
        ],
        price=(180, 500),
    ),
    "dresses": dict(
        brands=[("Uniqlo", "Uniqlo"), ("Zara", "Zara"), ("H&M", "H&M"), ("Lativ", "Lativ")],
        models=["Linen Blend Midi", "Floral Wrap", "Pleated Shirt", "Jersey Maxi"],
        noun=("Dress", "洋裝", "ワンピース"),
        attrs=["color", "size", "material", "gender"],
        terms=[("machine washable", "可機洗", "洗濯機可"), ("breathable", "透氣", "通気性")],
        price=(25, 90),
    ),
    "mens_tshirts": dict(
        brands=[("Uniqlo", "Uniqlo"), ("GU", "GU"), ("Nike", "Nike"), ("Lativ", "Lativ")],
        models=["Supima Crew Neck", "Dry-EX Oversized", "Dri-FIT Legend", "Heavyweight Pocket"],
        noun=("T-Shirt", "短袖T恤", "Tシャツ"),
        attrs=["color", "size", "material", "gender"],
        terms=[("quick dry", "吸濕排汗", "速乾"), ("machine washable", "可機洗", "洗濯機可")],
        price=(10, 40),
    ),
    "jeans": dict(
        brands=[("Levi's", "Levi's"), ("Uniqlo", "Uniqlo"), ("Lee", "Lee")],
        models=["511 Slim", "Stretch Selvedge", "Rider Straight"],
        noun=("Jeans", "牛仔褲", "ジーンズ"),
        attrs=["color", "size", "material", "gender"],
        terms=[("stretch fit", "彈性", "ストレッチ")],
        price=(30, 110),
    ),
    "sneakers": dict(
        brands=[
            ("Nike", "Nike"),
            ("Adidas", "愛迪達"),
            ("New Balance", "New Balance"),
            ("ASICS", "亞瑟士"),
        ],
        models=["Air Zoom Pegasus 40", "Ultraboost Light", "574 Core", "Gel-Kayano 30"],
        noun=("Running Shoes", "運動鞋", "スニーカー"),
        attrs=["color", "size", "material", "gender"],
        terms=[
            ("breathable mesh", "透氣網布", "通気性メッシュ"),
            ("cushioned sole", "緩震鞋底", "クッション性"),
        ],
        price=(60, 190),
    ),
    "backpacks": dict(
        brands=[
            ("The North Face", "The North Face"),
            ("Samsonite", "新秀麗"),
            ("Herschel", "Herschel"),
        ],
        models=["Borealis 28L", "Ecodiver", "Little America"],
        noun=("Backpack", "後背包", "リュック"),
        attrs=["color", "material", "capacity_volume", "waterproof"],
        terms=[("laptop compartment", "筆電隔層", "PC収納"), ("water repellent", "防潑水", "撥水")],
        price=(50, 160),
    ),
    "coffee_makers": dict(
        brands=[("Philips", "飛利浦"), ("De'Longhi", "迪朗奇"), ("Nespresso", "Nespresso")],
        models=["EP2220", "Magnifica S", "Vertuo Pop"],
        noun=("Coffee Maker", "咖啡機", "コーヒーメーカー"),
        attrs=["color", "capacity_volume", "weight"],
        terms=[
            ("milk frother", "奶泡器", "ミルクフォーマー"),
            ("one touch", "一鍵操作", "ワンタッチ"),
        ],
        price=(90, 700),
    ),
    "rice_cookers": dict(
        brands=[
            ("Tatung", "大同"),
            ("Panasonic", "國際牌"),
            ("Zojirushi", "象印"),
            ("Tiger", "虎牌"),
        ],
        models=["TAC-10L", "SR-JMX188", "NP-HCC10", "JBX-A10R"],
        noun=("Rice Cooker", "電鍋", "炊飯器"),
        attrs=["color", "capacity_volume", "material"],
        terms=[
            ("keep warm", "自動保溫", "保温機能"),
            ("non-stick inner pot", "不沾內鍋", "内釜フッ素加工"),
        ],
        price=(40, 350),
    ),
    "air_fryers": dict(
        brands=[("Philips", "飛利浦"), ("Tefal", "特福"), ("Xiaomi", "小米")],
        models=["Essential XL", "Easy Fry Max", "Mi Smart Air Fryer"],
        noun=("Air Fryer", "氣炸鍋", "ノンフライヤー"),
        attrs=["color", "capacity_volume", "weight"],
        terms=[
            ("oil-free cooking", "免油烹調", "油なし調理"),
            ("dishwasher safe", "可用洗碗機", "食洗機対応"),
        ],
        price=(60, 250),
    ),
    "frying_pans": dict(
        brands=[("Tefal", "特福"), ("Lodge", "Lodge"), ("Thermos", "膳魔師")],
        models=["Ingenio", "Cast Iron Skillet", "Frying Pan 28cm"],
        noun=("Frying Pan", "平底鍋", "フライパン"),
        attrs=["material", "weight", "color"],
        terms=[
            ("non-stick coating", "不沾塗層", "焦げ付きにくい"),
            ("induction compatible", "電磁爐適用", "IH対応"),
        ],
        price=(20, 90),
    ),
    "yoga_mats": dict(
        brands=[("Decathlon", "迪卡儂"), ("Lululemon", "Lululemon"), ("Manduka", "Manduka")],
        models=["Kimjaly 8mm", "The Mat 5mm", "PRO Travel"],
        noun=("Yoga Mat", "瑜珈墊", "ヨガマット"),
        attrs=["color", "material", "weight"],
        terms=[("non-slip", "止滑", "滑り止め"), ("eco-friendly", "環保", "エコ素材")],
        price=(15, 120),
    ),
    "tents": dict(
        brands=[("Coleman", "Coleman"), ("Decathlon", "迪卡儂"), ("Snow Peak", "Snow Peak")],
        models=["Sundome 4", "MH100 Fresh&Black", "Amenity Dome M"],
        noun=("Camping Tent", "帳篷", "テント"),
        attrs=["color", "weight", "waterproof", "material"],
        terms=[("easy setup", "快速搭建", "簡単設営"), ("uv protection", "抗UV", "UVカット")],
        price=(60, 450),
    ),
    "moisturizers": dict(
        brands=[("Cetaphil", "舒特膚"), ("La Roche-Posay", "理膚寶水"), ("Kiehl's", "契爾氏")],
        models=["Moisturizing Cream", "Toleriane Double Repair", "Ultra Facial Cream"],
        noun=("Face Moisturizer", "保濕乳霜", "保湿クリーム"),
        attrs=["capacity_volume"],
        terms=[
            ("fragrance free", "無香料", "無香料"),
            ("hyaluronic acid", "玻尿酸", "ヒアルロン酸"),
        ],
        price=(12, 60),
    ),
    "lipstick": dict(
        brands=[("MAC", "MAC"), ("Maybelline", "媚比琳"), ("Shiseido", "資生堂")],
        models=["Matte Lipstick", "SuperStay Matte Ink", "VisionAiry Gel"],
        noun=("Lipstick", "口紅", "口紅"),
        attrs=["color"],
        terms=[("long lasting", "持久", "落ちにくい"), ("matte finish", "霧面", "マット")],
        price=(8, 40),
    ),
}

# Local category names shops use instead of a path (some are in category_mappings, some not).
TAIPEI_LOCAL = {
    "laptops": "3C/筆電",
    "smartphones": "3C/手機",
    "tablets": "3C/平板",
    "earbuds": "3C/藍牙耳機",
    "headphones": "3C/耳罩式耳機",
    "air_fryers": "家電/廚房家電/氣炸鍋",
    "rice_cookers": "家電/廚房家電/電鍋",
    "coffee_makers": "家電/廚房家電/美式咖啡機",
    "televisions": "家電/液晶電視",
    "dresses": "女生衣著/連身裙",
    "mens_tshirts": "男生衣著/短袖T恤",
    "yoga_mats": "運動/瑜伽墊",
    "moisturizers": "美妝/臉部保養/乳霜",
    # not mapped yet: the curators' backlog
    "smartwatches": "3C/穿戴裝置/智慧錶",
    "backpacks": "包包/雙肩包",
    "lipstick": "美妝/唇彩",
}
TOKYO_LOCAL = {
    "laptops": "家電 > ノートパソコン",
    "smartphones": "家電 > スマホ・携帯電話",
    "earbuds": "家電 > オーディオ > ワイヤレスイヤホン",
    "headphones": "家電 > オーディオ > ヘッドホン・ヘッドフォン",
    "rice_cookers": "キッチン家電 > 炊飯器・炊飯ジャー",
    "mens_tshirts": "ファッション > メンズ > Tシャツ・カットソー",
    # not mapped yet
    "air_fryers": "キッチン家電 > ノンフライヤー",
    "coffee_makers": "キッチン家電 > コーヒーメーカー",
}
BAZAAR_LOCAL = {
    "sneakers": "Footwear >> Men's Footwear >> Sports Shoes",
    "smartphones": "Mobiles & Accessories >> Mobiles",
    "frying_pans": "Kitchen, Cooking & Serving >> Cookware >> Tawas",
}


def pick_color(source):
    key = (
        rng.choice(list(COLORS))
        if rng.random() < 0.2
        else rng.choice(
            ["black", "white", "gray", "silver", "blue", "navy", "red", "pink", "green", "beige"]
        )
    )
    english, zh, ja = COLORS[key]
    said = rng.choice(english)  # the model reads the colour and says it in English
    return key, {"taipei_market": zh, "tokyo_select": ja}.get(source, said), said


def pick_material(source, category):
    choices = {
        "dresses": ["cotton", "polyester", None],
        "mens_tshirts": ["cotton", "polyester", None],
        "jeans": ["denim", "cotton"],
        "sneakers": ["faux leather", "leather", "nylon", None],
        "backpacks": ["nylon", "polyester", None],
        "rice_cookers": ["stainless steel", "aluminum"],
        "frying_pans": ["stainless steel", "aluminum", None],
        "yoga_mats": ["rubber", None],
        "tents": ["polyester", "nylon"],
    }[category]
    key = rng.choice(choices)
    english, zh, ja = MATERIALS[key]
    said = rng.choice(english)
    return key, {"taipei_market": zh, "tokyo_select": ja}.get(source, said), said


def attribute_value(attribute, source, category, brand):
    """(value in the shop's words, value in the model's words, text for the title or None)."""
    zh = source == "taipei_market"
    if attribute == "color":
        _, shop, model = pick_color(source)
        return shop, model, shop
    if attribute == "material":
        _, shop, model = pick_material(source, category)
        return shop, model, None
    if attribute == "memory_ram":
        gb = rng.choice([8, 16, 32])
        return rng.choice([f"{gb} GB", f"{gb}GB"]), f"{gb}GB", f"{gb}GB"
    if attribute == "storage_capacity":
        gb = rng.choice([128, 256, 512, 1024])
        text = "1 TB" if gb == 1024 else rng.choice([f"{gb}GB", f"{gb} GB"])
        return text, text.replace(" ", ""), text
    if attribute == "screen_size":
        inches = {
            "laptops": [13.3, 14, 15.6, 16],
            "smartphones": [6.1, 6.5, 6.7],
            "tablets": [10.9, 11, 12.4],
            "televisions": [43, 55, 65, 75],
        }[category]
        size = rng.choice(inches)
        if zh:
            return f"{size}吋", f'{size}"', f"{size}吋"
        text = rng.choice([f'{size}"', f"{size} inch", f"{size} inches"])
        return text, f'{size}"', f'{size}"'
    if attribute == "weight":
        kg = round(rng.uniform(0.8, 5.5), 1)
        text = rng.choice([f"{kg} kg", f"{kg}kg", f"{int(kg * 1000)}g"])
        return text, f"{kg} kg", None
    if attribute == "size":
        size = rng.choice(["S", "M", "L", "XL", "XXL", "Small", "Medium", "Large", "Free Size"])
        return size, size, None
    if attribute == "gender":
        value = {"dresses": "Women"}.get(category) or rng.choice(["Men", "Women", "Unisex", "Mens"])
        if zh:
            value = {"Men": "男性", "Mens": "男性", "Women": "女性", "Unisex": "男女適用"}[value]
        return value, value, None
    if attribute == "operating_system":
        value = {
            "laptops": ["Windows 11 Home", "Windows 11", "macOS", "ChromeOS"],
            "smartphones": ["Android", "iOS", "Android 14"],
            "tablets": ["iPadOS", "Android"],
            "televisions": ["Tizen", "webOS", "Google TV"],
            "smartwatches": ["watchOS", "Wear OS"],
        }[category]
        if brand == "Apple":
            value = {
                "laptops": ["macOS"],
                "smartphones": ["iOS"],
                "tablets": ["iPadOS"],
                "smartwatches": ["watchOS"],
            }[category]
        elif category in ("smartphones", "tablets"):
            value = ["Android", "Android 14"]
        elif category == "laptops":
            value = [v for v in value if v != "macOS"]
        text = rng.choice(value)
        return text, text, None
    if attribute == "connectivity":
        text = rng.choice(
            [
                "Bluetooth",
                "Bluetooth 5.3",
                "Wi-Fi",
                "WiFi 6",
                "USB-C",
                "Type C",
                "5G",
                "HDMI",
                "NFC",
            ]
        )
        return text, text, None
    if attribute == "resolution":
        text = rng.choice(["4K", "4K UHD", "Full HD", "1080p", "8K", "QLED 4K"])
        return text, text, text
    if attribute == "capacity_volume":
        litres = {
            "backpacks": [20, 28, 35],
            "coffee_makers": [1.2, 1.8],
            "rice_cookers": [1.0, 1.8],
            "air_fryers": [4.1, 5.5, 6.2],
            "moisturizers": [0.05, 0.1],
        }[category]
        value = rng.choice(litres)
        if category == "moisturizers":
            return f"{int(value * 1000)}ml", f"{int(value * 1000)} ml", f"{int(value * 1000)}ml"
        if category == "rice_cookers" and zh:
            return rng.choice(["10人份", "6人份"]), f"{value} L", None
        return rng.choice([f"{value}L", f"{value} L", f"{value} litres"]), f"{value} L", None
    if attribute == "battery_life":
        hours = rng.choice([8, 10, 24, 30, 40])
        text = (
            f"{hours}小時"
            if zh
            else rng.choice([f"{hours} hours", f"{hours}h", f"Up to {hours} hours"])
        )
        return text, f"{hours} hours", None
    if attribute in ("waterproof", "wireless"):
        value = rng.choice(["Yes", "Yes", "No", "IPX4"] if attribute == "waterproof" else ["Yes"])
        if zh:
            value = {"Yes": "是", "No": "否"}.get(value, value)
        return value, "Yes" if value in ("Yes", "是", "IPX4") else "No", None
    raise ValueError(attribute)


def raw_category(source, category, title):
    path = path_of(category)
    if source == "north_mall":
        return " > ".join(CATEGORIES[c]["name"] for c in path)
    if source == "bazaar_in":
        if category in BAZAAR_LOCAL and rng.random() < 0.6:
            return f"{BAZAAR_LOCAL[category]} >> {title[:48]}"
        # Flipkart style: the top level, the leaf, then the title itself
        return " >> ".join([CATEGORIES[path[0]]["name"], CATEGORIES[category]["name"], title[:48]])
    if source == "taipei_market":
        roll = rng.random()
        if category in TAIPEI_LOCAL and roll < 0.35:
            return TAIPEI_LOCAL[category]
        if roll < 0.55:
            return f"{label(path[0], 'zh-TW')} > {label(category, 'zh-TW')}"
        return "/".join(label(c, "zh-TW") for c in path)
    return TOKYO_LOCAL[category]


def make_item(number, source, category, ingested_at):
    spec = PRODUCTS[category]
    lang = LANGUAGE[source]
    which = rng.randrange(len(spec["models"]))
    brand_en, brand_zh = spec["brands"][which % len(spec["brands"])]
    model = spec["models"][which]
    brand = brand_zh if lang == "zh-TW" else brand_en
    values = {a: attribute_value(a, source, category, brand_en) for a in spec["attrs"]}
    in_title = [v[2] for v in values.values() if v[2]][:3]
    noun_en, noun_zh, noun_ja = spec["noun"]
    if lang == "en":
        title = f"{brand} {model} {noun_en}" + (f" ({', '.join(in_title)})" if in_title else "")
        term = rng.choice(spec["terms"])[0]
        description = f"The {brand} {model} {noun_en.lower()} with {term}. " + rng.choice(
            ["Ships in 2 days.", "Official warranty included.", "Limited stock."]
        )
    elif lang == "zh-TW":
        title = f"【{brand}】{model} {noun_zh} " + " ".join(in_title)
        term = rng.choice(spec["terms"])[1]
        description = f"{brand} {model}{noun_zh}，{term}設計。" + rng.choice(
            ["台灣公司貨，原廠保固。", "現貨供應，24小時出貨。", "限時優惠中。"]
        )
    else:
        title = f"{brand_en} {model} {noun_ja} " + " ".join(in_title)
        term = rng.choice(spec["terms"])[2]
        description = f"{brand_en} {model}の{noun_ja}。{term}。" + rng.choice(
            ["国内正規品。", "送料無料。"]
        )
    title = title.strip()
    raw_attributes = {KEYS["brand"][source]: brand}
    for attribute, (shop_value, _, _) in values.items():
        if rng.random() < 0.85:  # shops leave some attributes out
            raw_attributes[KEYS[attribute][source]] = shop_value
    if rng.random() < 0.3:
        key, choices = rng.choice(EXTRA_KEYS[source])
        raw_attributes[key] = rng.choice(choices)
    low, high = spec["price"]
    price = rng.uniform(low, high) * PRICE_FACTOR[source]
    price = f"{price:.2f}" if source == "north_mall" else str(int(price))
    item_id = f"{PREFIX[source]}-{number:06d}"
    item = {
        "item_id": item_id,
        "title": title,
        "description": description,
        "raw_category": raw_category(source, category, title),
        "raw_attributes": raw_attributes,
        "source": source,
        "language": lang,
        "metadata": {
            "url": f"https://{DOMAIN[source]}/p/{item_id}",
            "price": price,
            "currency": CURRENCY[source],
        },
        "ingested_at": ingested_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return item, brand, values, spec


def make_extraction(item, brand, values, spec, number):
    lang = item["language"]
    text = item["title"] + " " + item["description"]
    attributes = [
        {
            "name": "brand",
            "value": brand,
            "evidence": brand,
            "confidence": round(rng.uniform(0.85, 0.99), 2),
        }
    ]
    for attribute, (shop_value, model_value, _) in values.items():
        if rng.random() < 0.25:
            continue
        evidence = shop_value if shop_value in text else item["title"][:60]
        name = attribute
        if rng.random() < 0.08:  # the model sometimes invents its own names
            name = {
                "color": "colour",
                "memory_ram": "ram",
                "storage_capacity": "storage",
                "screen_size": "display size",
                "material": "fabric",
            }.get(attribute, attribute)
        attributes.append(
            {
                "name": name,
                "value": shop_value if lang != "en" and rng.random() < 0.5 else model_value,
                "evidence": evidence,
                "confidence": round(rng.uniform(0.5, 0.99), 2),
            }
        )
    index = {"en": 0, "zh-TW": 1, "ja": 2}[lang]
    terms = []
    for term in rng.sample(spec["terms"], k=min(len(spec["terms"]), rng.choice([1, 1, 2]))):
        word = term[index]
        context = word if word in text else item["description"][:80]
        terms.append(
            {
                "term": word,
                "context": context,
                "confidence": round(rng.uniform(0.55, 0.97), 2),
                "frequency": rng.choice([1, 1, 1, 2, 3]),
            }
        )
    first_run = number % 3 != 0
    extracted = CLOCK + timedelta(days=0 if first_run else 14, minutes=number * 3)
    return {
        "item_id": item["item_id"],
        "attributes": attributes,
        "terms": terms,
        "metadata": {
            "model": "gpt-4o-mini-2024-07-18" if first_run else "qwen2.5-7b-instruct",
            "run_id": "run-2026-10-01-a" if first_run else "run-2026-10-15-b",
            "extracted_at": extracted.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "processing_time_ms": rng.randint(350, 2400),
        },
    }


PLAN = {  # items per source, and the categories each source sells
    "north_mall": (140, [c for c in PRODUCTS]),
    "bazaar_in": (110, [c for c in PRODUCTS if c not in ("rice_cookers",)]),
    "taipei_market": (130, [c for c in PRODUCTS]),
    "tokyo_select": (20, list(TOKYO_LOCAL)),
}

BAD_ITEMS = [
    '{"item_id": "bad-001", "title": "Truncated line, the shop export stopped here',
    json.dumps({"item_id": "   ", "title": "Blank id", "source": "north_mall", "language": "en"}),
    json.dumps(
        {
            "item_id": "bad-003",
            "source": "north_mall",
            "language": "en",
            "raw_category": "Electronics > Laptops",
        }
    ),
    json.dumps(
        {
            "item_id": "bad-004",
            "title": "Wrong language tag",
            "source": "bazaar_in",
            "language": "english",
        }
    ),
    json.dumps(
        {
            "item_id": "bad-005",
            "title": "Attributes as text",
            "source": "bazaar_in",
            "language": "en",
            "raw_attributes": "{Colour => Black}",
        }
    ),
    json.dumps(
        {
            "item_id": "bad-006",
            "title": "Relative date",
            "source": "north_mall",
            "language": "en",
            "ingested_at": "yesterday",
        }
    ),
    json.dumps(
        {
            "item_id": "bad-007",
            "title": "超長標題" * 260,
            "source": "taipei_market",
            "language": "zh-TW",
        },
        ensure_ascii=False,
    ),
]
BAD_EXTRACTIONS = [
    {
        "item_id": "nm-000001",
        "attributes": [{"name": "color", "value": "black", "evidence": "Black", "confidence": 1.7}],
        "terms": [],
        "metadata": {"model": "gpt-4o-mini-2024-07-18", "run_id": "run-2026-10-01-a"},
    },
    {
        "item_id": "nm-000002",
        "attributes": [],
        "terms": [],
        "metadata": {"run_id": "run-2026-10-01-a"},
    },
    {
        "item_id": "nm-000003",
        "attributes": [
            {"name": "color", "value": "black", "evidence": "Black", "confidence": 0.9},
            {"name": "color", "value": "gray", "evidence": "Gray", "confidence": "0.6"},
        ],
        "terms": [],
        "metadata": {"model": "qwen2.5-7b-instruct", "run_id": "run-2026-10-15-b"},
    },
    '{"item_id": "nm-000004", "attributes": [{"name": "color"',
]


def main() -> None:
    items, extractions = [], []
    number = 0
    for source, (count, categories) in PLAN.items():
        for n in range(1, count + 1):
            number += 1
            category = categories[(n - 1) % len(categories)]
            ingested = CLOCK + timedelta(hours=number)
            item, brand, values, spec = make_item(n, source, category, ingested)
            items.append(item)
            if rng.random() < 0.86:
                extractions.append(make_extraction(item, brand, values, spec, number))
    # re-deliveries: the same item_id later with a corrected title (staging keeps the latest)
    for original in items[5:10]:
        update = dict(original)
        update["title"] = original["title"] + " [price drop]"
        update["ingested_at"] = (CLOCK + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
        items.append(update)

    OUT.mkdir(parents=True, exist_ok=True)
    item_lines = [json.dumps(i, ensure_ascii=False) for i in items] + BAD_ITEMS
    extraction_lines = [json.dumps(e, ensure_ascii=False) for e in extractions] + [
        e if isinstance(e, str) else json.dumps(e, ensure_ascii=False) for e in BAD_EXTRACTIONS
    ]
    (OUT / "items.jsonl").write_text("\n".join(item_lines) + "\n", encoding="utf-8")
    (OUT / "extractions.jsonl").write_text("\n".join(extraction_lines) + "\n", encoding="utf-8")
    print(
        f"items.jsonl: {len(items)} good lines ({len({i['item_id'] for i in items})} items) "
        f"+ {len(BAD_ITEMS)} bad; extractions.jsonl: {len(extractions)} good lines "
        f"+ {len(BAD_EXTRACTIONS)} bad"
    )


if __name__ == "__main__":
    main()
