"""`fieldrep-server product|keymessage|area ...`: the product catalogue from the command line.

    fieldrep-server product add Cardiozan --area Cardiology --sample-limit 12
    fieldrep-server product set Cardiozan --sample-limit 10 | --no-sample-limit | --inactive
    fieldrep-server product list
    fieldrep-server keymessage add Cardiozan CZ-EFF "Fewer hospital stays" --topic efficacy
    fieldrep-server keymessage list Cardiozan
    fieldrep-server keymessage retire Cardiozan CZ-EFF
    fieldrep-server area list
    fieldrep-server area rename Cardiology "Cardiovascular"

Which territory promotes which product is `fieldrep-server territory promote CODE PRODUCT`.
"""

from __future__ import annotations

import argparse

from server import catalog
from server.db import Database


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= catalog.MAX_SAMPLE_LIMIT:
        raise argparse.ArgumentTypeError(f"must be 0 to {catalog.MAX_SAMPLE_LIMIT}")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    product = sub.add_parser("product", help="add, change or list products",
                             description="The products reps may detail and sample.")
    psub = product.add_subparsers(dest="product_command", required=True, metavar="ACTION")
    padd = psub.add_parser("add", help="add a product", description="Add a product.")
    padd.add_argument("name")
    padd.add_argument("--area", required=True, help="therapeutic area (routes medical "
                      "inquiries to the MSLs covering it)")
    padd.add_argument("--sample-limit", type=_limit, metavar="N",
                      help="samples one account may receive per calendar year (default: "
                           "no limit)")
    pset = psub.add_parser("set", help="change a product",
                           description="Change a product's area, sample limit or state.")
    pset.add_argument("name")
    pset.add_argument("--area")
    limit = pset.add_mutually_exclusive_group()
    limit.add_argument("--sample-limit", type=_limit, metavar="N")
    limit.add_argument("--no-sample-limit", action="store_true", help="remove the limit")
    state = pset.add_mutually_exclusive_group()
    state.add_argument("--active", dest="active", action="store_true", default=None)
    state.add_argument("--inactive", dest="active", action="store_false",
                       help="no longer detailed or sampled")
    psub.add_parser("list", help="list products",
                    description="List products, limits and the territories promoting them.")

    key = sub.add_parser("keymessage", help="add, list or retire a product's key messages",
                         description="The key messages of a product (content slides name "
                                     "them by code).")
    ksub = key.add_subparsers(dest="keymessage_command", required=True, metavar="ACTION")
    kadd = ksub.add_parser("add", help="add a key message", description="Add a key message.")
    kadd.add_argument("product")
    kadd.add_argument("code")
    kadd.add_argument("title")
    kadd.add_argument("--topic", default="", help="efficacy, safety, study, dosing, ...")
    klist = ksub.add_parser("list", help="list a product's key messages",
                            description="List a product's key messages.")
    klist.add_argument("product")
    kret = ksub.add_parser("retire", help="retire a key message",
                           description="Retire a key message; laptops stop offering it.")
    kret.add_argument("product")
    kret.add_argument("code")

    area = sub.add_parser("area", help="list or rename therapeutic areas",
                          description="Therapeutic areas, as the products name them.")
    asub = area.add_subparsers(dest="area_command", required=True, metavar="ACTION")
    asub.add_parser("list", help="list areas", description="List areas, their products and "
                    "how many MSL coverages name them.")
    aren = asub.add_parser("rename", help="rename an area",
                           description="Rename an area on its products and MSL coverage.")
    aren.add_argument("old")
    aren.add_argument("new")


def run(args: argparse.Namespace, db: Database) -> None:
    """Run a catalogue command; DirectoryError for anything refused."""
    if args.command == "product":
        _product(args, db)
    elif args.command == "keymessage":
        _key_message(args, db)
    else:
        _area(args, db)


def _product(args: argparse.Namespace, db: Database) -> None:
    if args.product_command == "list":
        with db.reading() as s:
            for product, codes in catalog.list_products(s):
                limit = product.yearly_sample_limit
                print(f"{product.name}\t{product.therapeutic_area}\t"
                      f"{'no limit' if limit is None else f'{limit}/year'}\t"
                      f"{'active' if product.active else 'inactive'}\t{','.join(codes)}")
        return
    with db.writing() as s:
        if args.product_command == "add":
            product = catalog.add_product(s, args.name, args.area, args.sample_limit)
            print(f"added product {product.name} ({product.therapeutic_area})")
        else:
            product = catalog.change_product(s, args.name, catalog.ProductChange(
                area=args.area, sample_limit=args.sample_limit,
                clear_limit=args.no_sample_limit, active=args.active))
            limit = product.yearly_sample_limit
            print(f"{product.name}: {product.therapeutic_area}, "
                  f"{'no limit' if limit is None else f'{limit} samples/year'}, "
                  f"{'active' if product.active else 'inactive'}")


def _key_message(args: argparse.Namespace, db: Database) -> None:
    if args.keymessage_command == "list":
        with db.reading() as s:
            for message in catalog.list_key_messages(s, args.product):
                print(f"{message.code}\t{message.topic}\t{message.title}")
        return
    with db.writing() as s:
        if args.keymessage_command == "add":
            message = catalog.add_key_message(s, args.product, args.code, args.title,
                                              args.topic)
            print(f"added key message {message.code} to {args.product}")
        else:
            catalog.retire_key_message(s, args.product, args.code)
            print(f"retired key message {args.code} of {args.product}")


def _area(args: argparse.Namespace, db: Database) -> None:
    if args.area_command == "list":
        with db.reading() as s:
            for area, products, covers in catalog.list_areas(s):
                print(f"{area}\t{','.join(products)}\t{covers} MSL coverage(s)")
        return
    with db.writing() as s:
        count = catalog.rename_area(s, args.old, args.new)
    print(f"renamed {args.old!r} to {args.new!r} on {count} product(s)")
