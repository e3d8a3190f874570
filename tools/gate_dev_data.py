"""Writes the write gate's dev data (agent/offline/routing/gate_other_dev.csv, gate_shop_dev.csv).

Dev data, written by hand for this purpose from what other businesses and this shop's shoppers say (never from an
evaluation file): per kind of business, the things its customers cancel, return, get refunded or have sent to a new
address, in English and Simplified Chinese, with some sentences written out whole; the templates put them into
shop-like wording ('cancel my order for ...', '... was delivered to the wrong house'), the way the leaks look.
Deterministic (seeded), so the files can be regenerated: `python -m tools.gate_dev_data`.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "agent" / "offline" / "routing"

# business: (things booked/held, things posted to the customer, things handed back, zh things, zh posted, whole lines)
B: dict[str, dict[str, list[str]]] = {
    "banking": {"held": ["standing order", "direct debit", "overdraft", "savings account", "loan application",
                         "payment to my landlord", "international transfer"],
                "posted": ["new debit card", "bank statements", "PIN letter", "cheque book", "card reader"],
                "back": ["card reader"],
                "zh": ["信用卡", "转账", "贷款申请", "定期存款", "自动扣款"],
                "zh_posted": ["新银行卡", "对账单", "U盾"],
                "lines": ["I ordered a new chequebook, please cancel that order", "refund the overdraft fee you charged me",
                          "my replacement card went to my old flat, can you send another to my new address",
                          "退还上个月多扣的年费", "银行卡寄到旧地址了，帮我改一下邮寄地址"]},
    "telecom": {"held": ["phone contract", "broadband order", "SIM only plan", "fibre installation", "landline",
                         "roaming add-on", "upgrade order for the new phone contract"],
                "posted": ["new SIM", "router", "replacement SIM card", "upgrade handset", "engineer visit letter"],
                "back": ["old router", "broadband hub", "TV box", "trade-in handset"],
                "zh": ["手机套餐", "宽带", "流量包", "合约机", "国际漫游"],
                "zh_posted": ["新SIM卡", "光猫", "路由器"],
                "lines": ["cancel my order for the new phone contract", "I want to return the hub you sent me and leave",
                          "my new sim was delivered to the wrong house number", "宽带能不能退订", "把旧光猫寄回去的地址是哪里",
                          "please refund the roaming charges from my holiday"]},
    "airline": {"held": ["flight to Madrid", "return flight", "seat upgrade", "extra legroom seat", "checked bag add-on",
                         "booking reference QX7TPL"],
                "posted": ["delayed suitcase", "lost luggage", "delayed suitcase bag", "baggage"],
                "back": [],
                "zh": ["机票", "航班", "选座", "行李额", "往返机票"],
                "zh_posted": ["延误的行李", "丢失的行李箱"],
                "lines": ["send my delayed suitcase bag to my hotel", "my bag didn't arrive on the flight, deliver it to my home address",
                          "I want my money back for the cancelled flight", "机票退了钱什么时候到", "行李送到酒店还是家里，地址我要改一下",
                          "cancel the return leg of my trip please"]},
    "rail": {"held": ["train ticket", "season ticket", "railcard", "seat reservation", "advance ticket to Leeds"],
             "posted": ["season ticket", "railcard", "smartcard"],
             "back": ["unused tickets"],
             "zh": ["高铁票", "火车票", "月票", "卧铺"],
             "zh_posted": ["纸质车票"],
             "lines": ["I want a refund for the train that was cancelled", "post my new season ticket to my new flat",
                       "火车票改签还是退票", "can I return my unused advance ticket"]},
    "coach_bus": {"held": ["coach ticket", "bus pass", "airport coach booking", "minibus hire"],
                  "posted": ["bus pass", "concession card"],
                  "back": [],
                  "zh": ["大巴票", "公交卡", "机场大巴"],
                  "zh_posted": ["老年公交卡"],
                  "lines": ["上车地址填错了怎么改", "cancel my seat on the 6am coach", "my bus pass renewal went to my old address"]},
    "hotel": {"held": ["hotel room", "reservation for Friday", "spa day", "room booking", "breakfast package"],
              "posted": ["invoice for my stay", "jacket I left in the room", "charger I left behind"],
              "back": [],
              "zh": ["酒店房间", "民宿", "订房", "酒店预订"],
              "zh_posted": ["落在房间的外套"],
              "lines": ["I left my coat in room 214, please post it to my home", "refund the deposit you took for the room",
                        "酒店订单能取消吗", "房费退到哪里了", "please cancel the second night of my stay"]},
    "tour_operator": {"held": ["package holiday", "tour", "city tour", "excursion", "cruise", "ski trip"],
                      "posted": ["travel documents", "tickets for the tour"],
                      "back": [],
                      "zh": ["旅游团", "跟团游", "一日游", "邮轮", "签证服务"],
                      "zh_posted": ["出团通知书"],
                      "lines": ["这个旅游团能取消吗", "send the holiday documents to my new address",
                                "I want a refund for the excursion that didn't run", "一日游退款多久到账"]},
    "ride_hailing": {"held": ["ride", "taxi booking", "airport pickup", "scheduled ride", "driver booking"],
                     "posted": ["phone I left in the car", "umbrella I left in the taxi"],
                     "back": [],
                     "zh": ["网约车", "打车订单", "接机", "预约用车"],
                     "zh_posted": ["落在车上的手机"],
                     "lines": ["change the pickup address for my ride", "the driver took me to the wrong address, refund the fare",
                               "取消预约的车", "司机绕路了，退我车费", "I left my bag in the cab, can it be sent to my new address"]},
    "car_hire": {"held": ["car hire", "rental car", "van hire", "child seat add-on", "one way rental"],
                 "posted": ["hire agreement"],
                 "back": ["hire car", "rental van", "car keys"],
                 "zh": ["租车", "租的车", "异地还车"],
                 "zh_posted": ["租车合同"],
                 "lines": ["can I return the rental car to a different branch", "refund the deposit on my van hire",
                           "租的车能提前还吗", "please deliver the hire car to my new address instead"]},
    "council": {"held": ["parking permit", "bulky waste collection", "council tax direct debit", "garden waste subscription",
                         "allotment"],
                "posted": ["new wheelie bin", "recycling box", "parking permit", "council tax bill", "food caddy"],
                "back": ["old bin", "spare recycling box"],
                "zh": ["停车许可", "垃圾清运", "大件垃圾回收"],
                "zh_posted": ["新垃圾桶", "分类垃圾桶"],
                "lines": ["my new wheelie bin was delivered to the wrong house number", "cancel the bulky collection for Tuesday",
                          "send my council tax bill to my new address", "垃圾桶送错门牌号了", "I want to return the second bin I never asked for"]},
    "library": {"held": ["hold on the DVD", "book reservation", "room booking at the library", "ebook loan"],
                "posted": ["library card", "reserved books"],
                "back": ["library books", "the DVD", "audiobook", "overdue book"],
                "zh": ["借书预约", "图书馆座位预约", "借阅"],
                "zh_posted": ["借书证"],
                "lines": ["cancel the hold on the DVD and put it back on the shelf", "I want to return the books I borrowed",
                          "图书馆的书怎么还", "please refund the late fee, I returned it on time"]},
    "gym": {"held": ["gym membership", "personal training sessions", "spin class", "yoga class booking", "locker rental"],
            "posted": ["membership card", "key fob"],
            "back": ["locker key", "towel card"],
            "zh": ["健身卡", "私教课", "瑜伽课", "游泳卡"],
            "zh_posted": ["会员卡"],
            "lines": ["cancel my gym membership from next month", "refund the joining fee please",
                      "健身卡能退吗", "私教课没上完能退款吗", "send my new membership card to my new address"]},
    "sports_club": {"held": ["club membership", "tennis court booking", "season ticket", "junior football sign-up",
                             "golf lesson"],
                    "posted": ["season ticket card", "club kit", "membership pack"],
                    "back": ["club kit", "hired golf clubs"],
                    "zh": ["球场预订", "俱乐部会员", "网球课"],
                    "zh_posted": ["年票"],
                    "lines": ["please cancel my court booking for Sunday", "my season ticket went to my old address",
                              "球场订了能退吗", "I want to return the hired clubs early"]},
    "healthcare": {"held": ["appointment", "GP appointment", "blood test", "physio session", "scan appointment"],
                   "posted": ["test results", "appointment letter", "referral letter", "hearing aid batteries"],
                   "back": ["blood pressure monitor on loan", "crutches", "walking frame"],
                   "zh": ["挂号", "体检预约", "门诊预约", "专家号"],
                   "zh_posted": ["体检报告", "化验单"],
                   "lines": ["cancel my appointment with the doctor on Monday", "where do I return the crutches from the hospital",
                             "体检报告寄到新地址", "挂号费能退吗", "send my appointment letters to my new address"]},
    "dentist": {"held": ["dental appointment", "check-up", "hygienist appointment", "braces consultation"],
                "posted": ["aligners", "retainer"],
                "back": ["aligners"],
                "zh": ["牙医预约", "洗牙", "正畸"],
                "zh_posted": ["牙套"],
                "lines": ["cancel my check-up at the dentist", "my aligners were sent to the wrong address",
                          "洗牙预约取消", "refund the deposit for the whitening"]},
    "pharmacy": {"held": ["repeat prescription", "prescription order", "flu jab appointment", "prescription delivery"],
                 "posted": ["prescription", "inhaler", "medication", "repeat prescription"],
                 "back": ["unused medicine"],
                 "zh": ["处方药", "配药", "疫苗预约"],
                 "zh_posted": ["处方药", "药"],
                 "lines": ["cancel my prescription order, the doctor changed it", "send my repeat prescription to my new address",
                           "药寄错地址了", "处方药能退吗", "my inhaler was delivered to the wrong house"]},
    "vet": {"held": ["vet appointment", "vaccination", "neutering booking", "pet health plan"],
            "posted": ["flea treatment", "worming tablets", "prescription pet food"],
            "back": ["cone collar", "pet carrier you lent us"],
            "zh": ["宠物医院预约", "疫苗", "绝育手术"],
            "zh_posted": ["驱虫药"],
            "lines": ["cancel the dog's vaccination appointment", "refund the consultation, the vet never saw him",
                      "宠物疫苗预约能改时间吗还是取消", "send the cat's flea tablets to my new address"]},
    "utilities": {"held": ["gas account", "electricity tariff", "water direct debit", "smart meter installation",
                           "energy switch"],
                  "posted": ["bill", "smart meter display", "water meter", "final bill"],
                  "back": ["smart meter display"],
                  "zh": ["燃气", "电费", "水费", "智能电表安装"],
                  "zh_posted": ["账单", "水费单"],
                  "lines": ["cancel the switch to your company", "I've moved, send the final bill to my new address",
                            "电费退费", "燃气开户地址写错了怎么改", "refund the credit on my electricity account"]},
    "insurance": {"held": ["car insurance", "home insurance policy", "travel cover", "pet insurance", "gadget cover",
                           "breakdown cover"],
                  "posted": ["policy documents", "green card", "certificate of insurance"],
                  "back": [],
                  "zh": ["车险", "保单", "意外险", "旅游险"],
                  "zh_posted": ["保单", "纸质保单"],
                  "lines": ["cancel my policy and refund the rest of the year", "update the address on my car insurance",
                            "保单邮寄地址改一下", "退保能退多少钱", "I want to cancel the travel cover I bought yesterday"]},
    "streaming": {"held": ["Netflix subscription", "streaming plan", "premium plan", "sports package", "movie rental"],
                  "posted": ["TV box", "remote"],
                  "back": ["TV box", "set top box"],
                  "zh": ["视频会员", "音乐会员", "自动续费", "爱奇艺会员"],
                  "zh_posted": ["电视盒子"],
                  "lines": ["cancel my subscription before it renews", "refund the film I rented by accident",
                            "会员自动续费了，退给我", "取消连续包月"]},
    "software": {"held": ["software licence", "annual plan", "cloud storage plan", "antivirus renewal", "app subscription"],
                 "posted": ["licence key", "USB installer", "invoice"],
                 "back": [],
                 "zh": ["软件会员", "云盘套餐", "杀毒软件续费"],
                 "zh_posted": ["发票"],
                 "lines": ["I was charged for the renewal, refund it and cancel the plan", "cancel my order for the pro licence",
                           "软件续费了不想要，能退吗", "the licence key was emailed to my old address, update it"]},
    "education": {"held": ["course", "enrolment", "evening class", "exam booking", "tuition fees", "module"],
                  "posted": ["certificate", "student card", "course books", "transcript"],
                  "back": ["loan laptop", "course books"],
                  "zh": ["课程", "报名", "网课", "考试报名", "学费"],
                  "zh_posted": ["证书", "教材", "录取通知书"],
                  "lines": ["I want to withdraw from the course and get a refund", "post my certificate to my new address",
                            "网课能退费吗", "证书寄到新地址", "cancel my exam booking for June"]},
    "childcare": {"held": ["nursery place", "holiday club booking", "after school club", "childminder sessions"],
                  "posted": ["invoice", "registration pack"],
                  "back": [],
                  "zh": ["托班", "幼儿园名额", "夏令营"],
                  "zh_posted": ["入园通知"],
                  "lines": ["cancel my son's holiday club days", "refund the deposit for the nursery place",
                            "夏令营报名能取消吗", "托班费用退一下"]},
    "lettings": {"held": ["viewing", "tenancy", "holding deposit", "rent standing order"],
                 "posted": ["keys", "tenancy agreement", "deposit certificate"],
                 "back": ["keys to the flat", "spare keys"],
                 "zh": ["租房", "看房预约", "押金", "房租"],
                 "zh_posted": ["钥匙", "租房合同"],
                 "lines": ["I want my deposit back from the flat", "cancel the viewing on Saturday",
                           "where do I return the keys when I move out", "押金什么时候退", "租房合同寄到新地址"]},
    "removals": {"held": ["removal booking", "move date", "packing service", "man and van"],
                 "posted": ["packing boxes", "quote"],
                 "back": ["crates", "packing boxes"],
                 "zh": ["搬家", "搬家预约", "搬家公司"],
                 "zh_posted": ["纸箱"],
                 "lines": ["cancel my removal booking, the sale fell through", "change the delivery address for my furniture move",
                           "搬家订单取消", "搬家地址写错了怎么改", "return the crates you lent us"]},
    "storage": {"held": ["storage unit", "container rental", "storage booking"],
                "posted": ["padlock", "access card"],
                "back": ["access card"],
                "zh": ["储物柜", "仓储"],
                "zh_posted": ["门禁卡"],
                "lines": ["cancel my storage unit at the end of the month", "refund the extra week of storage",
                          "仓储合同取消", "send the access card to my new address"]},
    "garage": {"held": ["MOT", "car service", "tyre fitting", "repair booking", "valet"],
               "posted": ["service invoice", "spare key"],
               "back": ["courtesy car"],
               "zh": ["保养", "洗车", "换轮胎", "修车预约"],
               "zh_posted": ["维修单"],
               "lines": ["cancel my MOT on Thursday", "I want a refund, the repair didn't fix it",
                         "保养预约取消", "return the courtesy car to which garage"]},
    "charity": {"held": ["monthly donation", "sponsorship", "standing donation", "fundraising event place"],
                "posted": ["donor pack", "charity newsletter", "collection tin"],
                "back": ["collection tin", "charity bag"],
                "zh": ["月捐", "助学捐款", "公益捐款"],
                "zh_posted": ["捐款收据"],
                "lines": ["cancel my monthly donation", "refund the donation I made twice by mistake",
                          "月捐取消", "send the donor newsletter to my new address"]},
    "events": {"held": ["concert tickets", "theatre tickets", "festival pass", "event booking", "gig tickets"],
               "posted": ["tickets", "wristband", "festival wristband"],
               "back": ["tickets"],
               "zh": ["演唱会门票", "话剧票", "音乐节门票", "展览门票"],
               "zh_posted": ["纸质门票"],
               "lines": ["I can't go, can I return the concert tickets", "the festival was cancelled, I want my money back",
                         "门票能退吗", "演唱会门票寄到新地址", "my wristband was sent to my old address"]},
    "restaurant": {"held": ["table for four", "reservation", "birthday booking", "tasting menu booking"],
                   "posted": ["gift voucher", "jacket I left"],
                   "back": [],
                   "zh": ["订座", "包间", "餐厅预订"],
                   "zh_posted": ["代金券"],
                   "lines": ["cancel our table for tonight", "refund the deposit for the birthday booking",
                             "包间能退吗", "餐厅订座取消"]},
    "takeaway": {"held": ["pizza order", "curry order", "food order", "delivery from the takeaway"],
                 "posted": ["food", "pizza", "curry"],
                 "back": [],
                 "zh": ["外卖", "外卖订单", "奶茶"],
                 "zh_posted": ["外卖"],
                 "lines": ["my food was delivered to the wrong house", "cancel my pizza order, it's been an hour",
                           "外卖送错地址了", "外卖退款", "the driver left my curry at number 12, refund it"]},
    "courier_sender": {"held": ["collection", "parcel I'm sending", "shipment to my sister", "pickup booking"],
                       "posted": ["parcel I sent", "package I posted to Spain"],
                       "back": ["parcel I sent"],
                       "zh": ["寄件", "快递寄件", "上门取件"],
                       "zh_posted": ["我寄出去的快递"],
                       "lines": ["cancel the collection I booked for my parcel", "I sent a parcel to the wrong address, can you redirect it",
                                 "我寄的快递地址写错了怎么改", "取消上门取件", "refund the postage, it never arrived to my friend"]},
    "government": {"held": ["passport application", "driving licence renewal", "tax return", "visa appointment",
                            "benefit claim"],
                   "posted": ["passport", "driving licence", "tax letter", "residence permit", "blue badge"],
                   "back": ["old passport"],
                   "zh": ["护照", "驾照", "签证", "社保", "身份证"],
                   "zh_posted": ["新护照", "身份证", "驾驶证"],
                   "lines": ["change the address on my driving licence", "cancel my passport application",
                             "身份证邮寄地址改一下", "护照寄到新地址", "refund the fee for my visa appointment"]},
    "postal_redirect": {"held": ["redirection", "PO box", "mail redirection", "Keepsafe"],
                        "posted": ["post", "letters", "mail"],
                        "back": [],
                        "zh": ["信件转寄", "邮箱"],
                        "zh_posted": ["信件"],
                        "lines": ["forward my post to my new address", "cancel my mail redirection",
                                  "信件转寄到新地址", "my letters are still going to the old house"]},
    "newspaper": {"held": ["newspaper delivery", "magazine subscription", "paper round delivery"],
                  "posted": ["magazine", "newspaper", "weekend paper"],
                  "back": [],
                  "zh": ["报纸订阅", "杂志订阅"],
                  "zh_posted": ["杂志", "报纸"],
                  "lines": ["stop my newspaper delivery while I'm away", "the magazine goes to my old address, please change it",
                            "杂志寄到新地址", "退订报纸"]},
    "dry_cleaning": {"held": ["dry cleaning collection", "laundry pickup", "alteration"],
                     "posted": ["suit", "cleaned shirts", "curtains you cleaned"],
                     "back": [],
                     "zh": ["干洗", "洗衣", "改衣服"],
                     "zh_posted": ["干洗好的衣服"],
                     "lines": ["deliver my cleaned suit to my work address", "refund the alteration, the hem is wrong",
                               "干洗衣服送错地址了", "取消洗衣上门取件"]},
    "cinema_parking": {"held": ["cinema tickets", "parking booking", "airport parking", "season parking"],
                       "posted": ["parking permit", "parking fine"],
                       "back": [],
                       "zh": ["电影票", "停车位", "机场停车"],
                       "zh_posted": ["罚单"],
                       "lines": ["refund my airport parking, my flight was cancelled", "cancel the cinema tickets for tonight",
                                 "电影票退票", "停车费退一下"]},
    "driving_school": {"held": ["driving lesson", "driving test", "block of lessons", "theory test"],
                       "posted": ["provisional licence", "test certificate"],
                       "back": [],
                       "zh": ["驾校", "练车预约", "科目二考试"],
                       "zh_posted": ["驾校合同"],
                       "lines": ["cancel my driving lesson tomorrow", "refund the lessons I haven't used",
                                 "驾校学费能退吗", "练车预约取消"]},
    "pet_services": {"held": ["dog grooming", "kennel booking", "dog walker", "cattery stay", "puppy class"],
                     "posted": ["pet passport"],
                     "back": ["dog's lead"],
                     "zh": ["宠物寄养", "宠物美容", "遛狗服务"],
                     "zh_posted": ["宠物护照"],
                     "lines": ["cancel the grooming for my dog on Friday", "refund the kennel stay, we came back early",
                               "宠物寄养能退吗", "宠物美容预约取消"]},
    "photo_printing_studio": {"held": ["photo shoot", "wedding photographer booking", "passport photo appointment"],
                              "posted": ["wedding album proofs", "prints from the shoot"],
                              "back": [],
                              "zh": ["写真拍摄", "婚纱照", "证件照预约"],
                              "zh_posted": ["婚纱照相册"],
                              "lines": ["cancel the photo shoot and refund the deposit", "send the wedding album to our new address",
                                        "婚纱照相册寄到新地址", "写真预约取消退定金"]},
}

EN_HELD = ["cancel my {o}", "please cancel the {o}", "I'd like to cancel my {o}", "can you cancel my {o} please",
           "cancel my order for the {o}", "I want a refund for my {o}", "refund my {o}", "I need to cancel the {o} I booked",
           "how do I cancel my {o}", "I booked the {o} by mistake, cancel it", "please stop my {o}",
           "cancel my {o} and give me my money back", "I want my money back for the {o}", "the {o} was cancelled, refund me",
           "I ordered the {o} last week and want to cancel it", "change the address on my {o}",
           "update my address for the {o}, I've moved", "i no longer need the {o}, please cancel"]
EN_POSTED = ["send my {o} to my new address", "please post the {o} to my new address", "my {o} was delivered to the wrong address",
             "I moved, can the {o} go to my new flat", "the {o} went to my old address", "deliver the {o} to my work address",
             "my {o} hasn't arrived, I want a refund", "please forward the {o} to 12 Mill Lane", "can you redirect the {o}",
             "where is my {o}? it was sent to the wrong house", "change the delivery address for my {o}"]
EN_BACK = ["I want to return the {o}", "how do I return the {o}", "can I send back the {o}", "return the {o} please",
           "I'd like to hand back the {o}", "where do I send the {o} back to"]
ZH_HELD = ["{o}能取消吗", "我要取消{o}", "帮我取消{o}", "{o}怎么退", "{o}退款", "{o}能退吗", "我想退掉{o}", "取消{o}，退钱给我",
           "{o}不要了，帮我取消", "我订的{o}要取消", "{o}的地址改一下"]
ZH_POSTED = ["{o}寄到我的新地址", "{o}送错地址了", "{o}寄到旧地址了怎么办", "我搬家了，{o}寄到新地址", "{o}的邮寄地址改一下",
             "{o}能改寄到公司吗", "{o}一直没收到，退钱"]
STYLE_EN = [lambda s: s, lambda s: s[0].upper() + s[1:] + ".", lambda s: "hi, " + s, lambda s: s + " thanks",
            lambda s: s.lower(), lambda s: "Hello, " + s + "?", lambda s: s + " pls", lambda s: s + "!"]


def other_rows(rng: random.Random) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for biz, d in B.items():
        en: list[str] = list(d["lines"][:0])
        for o in d["held"]:
            en += [t.format(o=o) for t in rng.sample(EN_HELD, 3)]
        for o in d["posted"]:
            en += [t.format(o=o) for t in rng.sample(EN_POSTED, 2)]
        for o in d["back"]:
            en += [t.format(o=o) for t in rng.sample(EN_BACK, 2)]
        zh: list[str] = []
        for o in d["zh"]:
            zh += [t.format(o=o) for t in rng.sample(ZH_HELD, 2)]
        for o in d["zh_posted"]:
            zh += [t.format(o=o) for t in rng.sample(ZH_POSTED, 2)]
        for line in d["lines"]:
            (zh if any("\u4e00" <= ch <= "\u9fff" for ch in line) else en).append(line)
        rows += [(rng.choice(STYLE_EN)(s), "en", biz) for s in en] + [(s, "zh", biz) for s in zh]
    return rows


# this shop: what it sells (en, zh)
PRODUCTS = ["mug", "teapot", "cushion", "throw blanket", "candle", "photo frame", "wall clock", "tote bag", "backpack",
            "scarf", "jumper", "t-shirt", "dress", "trainers", "jigsaw puzzle", "teddy", "board game", "notebook",
            "pen set", "diary", "lunchbox", "vase", "fairy lights", "bauble set", "wreath", "bluetooth speaker",
            "headphones", "desk lamp", "kettle", "cake stand", "chopping board", "knife set", "wooden blocks",
            "wallet", "umbrella", "earrings", "necklace", "apron", "tea towels", "doormat", "rug", "mirror",
            "planter", "wrapping paper", "sketchbook", "slippers", "hat", "gloves", "salad bowl", "frying pan"]
PRODUCTS_ZH = ["马克杯", "茶壶", "抱枕", "毛毯", "香薰蜡烛", "相框", "挂钟", "帆布包", "双肩包", "围巾", "毛衣", "T恤",
               "连衣裙", "运动鞋", "拼图", "泰迪熊", "桌游", "笔记本", "钢笔套装", "饭盒", "花瓶", "串灯", "圣诞挂饰",
               "蓝牙音箱", "耳机", "台灯", "电水壶", "蛋糕架", "砧板", "刀具套装", "积木", "钱包", "雨伞", "耳环",
               "项链", "围裙", "地垫", "镜子", "花盆", "包装纸", "拖鞋", "手套", "平底锅"]
SHOP_EN = {
    "cancel_order": ["cancel my order", "please cancel order {id}", "cancel the {p} I ordered", "I ordered the {p} by mistake, cancel it",
                     "can you cancel {id}", "I don't want the {p} anymore, cancel the order", "cancel it please, I ordered twice",
                     "please cancel my order for the {p}", "stop my order {id} before it ships", "cancel the whole order",
                     "I'd like to cancel the {p} from my last order", "cancel my purchase of the {p}"],
    "return_items": ["I want to return the {p}", "return the {p} from order {id}", "the {p} is broken, I want to send it back",
                     "can I return it? it's the wrong colour", "I'd like a refund for the {p}", "the {p} arrived cracked, refund please",
                     "send back the {p}, it doesn't fit", "return my order {id}", "I want my money back for the {p}",
                     "the {p} isn't what I expected, how do I return it", "return the {p} and the {q}",
                     "I received the wrong {p}, I want to return it"],
    "change_address": ["change the delivery address for my order", "please send order {id} to my new address",
                       "update the address on my order to 14 Park Road, Leeds", "I moved, can my parcel go to 3 Elm Street",
                       "change the shipping address of {id}", "deliver the {p} to my work address instead",
                       "send my order to 22 High Street, Bath BA1 1AA", "the address on my order is wrong, it should be flat 4",
                       "can the {p} be delivered to my mum's house instead", "please fix the address for my parcel",
                       "I typed the wrong house number on my order", "ship it to my new flat at 9 King's Road please"],
}
SHOP_ZH = {
    "cancel_order": ["取消我的订单", "订单{id}帮我取消", "我买的{p}不要了，取消吧", "{p}拍错了，取消订单", "帮我把{p}的订单取消",
                     "刚下的单能取消吗", "取消订单{id}", "我下单买了两个{p}，取消一个", "这个订单不要了"],
    "return_items": ["{p}我想退货", "订单{id}里的{p}要退", "{p}坏了，我要退货", "{p}颜色不对，能退吗", "{p}退款",
                     "收到的{p}有破损，退货退款", "我要退{p}", "{p}尺码不合适，退掉", "把{p}退了，钱退回原账户"],
    "change_address": ["订单{id}的收货地址改一下", "我的订单地址填错了，改成北京市朝阳区建国路88号", "{p}寄到我公司吧，地址改一下",
                       "收货地址要改，我搬家了", "把订单改寄到上海市徐汇区漕溪北路100号", "{p}的收货地址写错了",
                       "帮我改一下订单的配送地址", "订单还没发货，能改地址吗", "快递地址改成我妈家"],
}


def shop_rows(rng: random.Random) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []

    def oid() -> str:
        return rng.choice(["#W", "W", "#w"]) + str(rng.randint(1000000, 9999999))

    for intent, ts in SHOP_EN.items():
        for _ in range(190):
            t = rng.choice(ts)
            p, q = rng.sample(PRODUCTS, 2)
            rows.append((rng.choice(STYLE_EN)(t.format(p=p, q=q, id=oid())), "en", intent))
    for intent, ts in SHOP_ZH.items():
        for _ in range(95):
            t = rng.choice(ts)
            rows.append((t.format(p=rng.choice(PRODUCTS_ZH), id=oid()), "zh", intent))
    return rows


def main() -> None:
    rng = random.Random(14)
    other = list(dict.fromkeys(other_rows(rng)))
    shop = list(dict.fromkeys(shop_rows(rng)))
    seen: set[str] = set()
    with (OUT / "gate_other_dev.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "lang", "domain"])
        for text, lang, biz in other:
            if text not in seen:
                seen.add(text)
                w.writerow([text, lang, biz])
    with (OUT / "gate_shop_dev.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "intent", "lang"])
        for text, lang, intent in shop:
            if text not in seen:
                seen.add(text)
                w.writerow([text, intent, lang])


if __name__ == "__main__":
    main()
