"""Django's ORM in async code, in each form a queryset, a manager or a model
instance reaches a call: the manager of a model of the file or of another
module, a custom manager or queryset, a local, a module global, `self.x`,
an annotated parameter, a related manager found from another module's
foreign key, the instance an awaited twin or `async for` gives, a manager
built by `as_manager()` or `from_queryset(...)` with its queryset's
methods. Each is reported (AL105, or AL201 for an async twin or a
`@sync_to_async` def left unawaited) alike with and without the first
look, and its lazy or awaited twin is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.config import Settings
from asynclint.engine import Checker

MODELS = '''\
from django.db import models


class PublishedQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True)


class AuthorManager(models.Manager):
    def named(self, name):
        return self.filter(name=name)


PublishedManager = models.Manager.from_queryset(PublishedQuerySet)


class Author(models.Model):
    name = models.CharField(max_length=10)
    live_books = PublishedQuerySet.as_manager()
    people = AuthorManager()
    published = PublishedManager()
    named_published = AuthorManager.from_queryset(PublishedQuerySet)()
'''
BOOKS = '''\
from django.contrib.auth.models import AbstractUser
from django.db import models

from app.models import Author


class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField("Tag")


class Review(models.Model):
    book = models.ForeignKey("books.Book", on_delete=models.CASCADE)


class Member(AbstractUser):
    pass


class Membership(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
'''
# Sync ORM code made coroutine functions by a decorator: calling one gives a coroutine.
LOADERS = '''\
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async

from app.models import Author


@sync_to_async
def load_author(pk):
    return Author.objects.get(pk=pk)


@sync_to_async(thread_sensitive=False)
def count_authors():
    return Author.objects.count()


@database_sync_to_async
def rename(author, name):
    author.name = name
    author.save()
'''
IMPORTS = (
    "from django.contrib.auth import get_user_model\nfrom django.contrib.auth.models import User\n"
    "from django.db.models import Manager, QuerySet\n\nfrom app.books import Book, Member, Review\n"
    "from app.loaders import count_authors, load_author, rename\nfrom app.models import Author\n"
)

# (the statements of an `async def`, its parameters, module-level lines) -> the code its last line gets
FORMS = {
    "manager": ("Author.objects.get(pk=1)", "", ""),
    "chain": ('Author.objects.filter(name="x").exclude(name="y").order_by("name").first()', "", ""),
    "default manager": ("Author._default_manager.count()", "", ""),
    "custom queryset": ("Author.live_books.filter(name='x').exists()", "", ""),
    "custom manager method": ("Author.people.named('x').count()", "", ""),
    "local": ('qs = Author.objects.filter(name="x")\nqs.delete()', "", ""),
    "global": ("QS.update(name='y')", "", 'QS = Author.objects.filter(name="x")'),
    "self": ("self.qs.aggregate()", "self", ""),
    "annotated queryset": ("qs.in_bulk()", "qs: QuerySet", ""),
    "annotated manager": ("manager.bulk_create([])", "manager: Manager", ""),
    "model instance": ("author.save()", "author: Author", ""),
    "constructed instance": ('author = Author(name="x")\nauthor.refresh_from_db()', "", ""),
    "related manager": ("author.books.count()", "author: Author", ""),
    "default related name": ("book.review_set.create()", "book: Book", ""),
    "forward many-to-many": ("book.tags.add(1)", "book: Book", ""),
    "Django's user model": ("User.objects.get(pk=1)", "", ""),
    "the configured user model": ("UserModel = get_user_model()\nUserModel.objects.filter(pk=1).exists()", "", ""),
    "an AbstractUser's related manager": ("member.memberships.create()", "member: Member", ""),
    "iterated": ("for a in Author.objects.all():\n    pass", "", ""),
    "comprehension": ("[a for a in Author.objects.filter(name='x')]", "", ""),
    "list": ("list(Author.objects.all())", "", ""),
    "len": ("len(author.books.all())", "author: Author", ""),
    "bool": ("bool(Author.objects.none())", "", ""),
    "twin unawaited": ("Author.objects.acount()", "", ""),
    "instance twin unawaited": ("author.asave()", "author: Author", ""),
    "an awaited twin's instance": ("author = await Author.objects.aget(pk=1)\nauthor.save()", "", ""),
    "an awaited first's instance": ("author = await Author.live_books.filter(name='x').afirst()\nauthor.delete()", "", ""),
    "an instance from async for": ("async for author in Author.objects.filter(name='x'):\n    author.save()", "", ""),
    "as_manager's own method": ("Author.live_books.live().count()", "", ""),
    "from_queryset's method": ("Author.published.live().exists()", "", ""),
    "from_queryset built in place": ("Author.named_published.live().first()", "", ""),
    "from_queryset's twin unawaited": ("Author.published.live().acount()", "", ""),
    "sync_to_async def unawaited": ("load_author(1)", "", ""),
    "called sync_to_async def unawaited": ("count_authors()", "", ""),
    "database_sync_to_async def unawaited": ("rename(author, 'x')", "author: Author", ""),
    "this file's sync_to_async def unawaited": ("touch()", "", "@sync_to_async\ndef touch():\n    Author.objects.update(name='x')"),
}
CODES = {
    "twin unawaited": "AL201", "instance twin unawaited": "AL201", "from_queryset's twin unawaited": "AL201",
    "sync_to_async def unawaited": "AL201", "called sync_to_async def unawaited": "AL201",
    "database_sync_to_async def unawaited": "AL201", "this file's sync_to_async def unawaited": "AL201",
}
# The same, lazy or awaited: nothing to report.
CLEAN = {
    "lazy chain": ('return Author.objects.filter(name="x").select_related().order_by("name")', ""),
    "awaited twin": ("return await Author.objects.aget(pk=1)", ""),
    "async for": ("async for a in Author.objects.all():\n    pass", ""),
    "async comprehension": ("return [a async for a in author.books.all()]", "author: Author"),
    "related chain": ('return author.books.filter(title="x")', "author: Author"),
    "awaited instance twin": ("await author.asave()", "author: Author"),
    "an awaited twin's instance saved by its twin": ("author = await Author.objects.aget(pk=1)\nawait author.asave()", ""),
    "rows, not instances": ("async for row in Author.objects.values('name'):\n    row.save()", ""),
    "awaited sync_to_async defs": ("await load_author(1)\nawait count_authors()\nawait rename(None, 'x')", ""),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("django")
    (root / "pyproject.toml").write_text("")
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "models.py").write_text(MODELS)
    (root / "app" / "books.py").write_text(BOOKS)
    (root / "app" / "loaders.py").write_text(LOADERS)
    return root


def snippet(body: str, params: str, top: str) -> str:
    lines = body.splitlines()
    if params == "self":
        head = ["class View:", "    def __init__(self):", '        self.qs = Author.objects.filter(name="x")', "",
                "    async def handle(self):"]
        return IMPORTS + "\n\n" + "\n".join([*head, *(f"        {line}" for line in lines)]) + "\n"
    module = [top, "", ""] if top else []
    imports = IMPORTS + "from asgiref.sync import sync_to_async\n" if "sync_to_async" in top else IMPORTS
    return imports + "\n\n" + "\n".join([*module, f"async def handle({params}):", *(f"    {line}" for line in lines)]) + "\n"


def diagnostics(project: Path, source: str, screening: bool, settings: Settings) -> list:
    path = project / "app" / "views.py"
    path.write_text(source)
    result = Checker(settings, screening=screening).check_file(str(path))
    assert not result.errors
    return [(d.code, d.start.line) for d in result.diagnostics]


EVERYTHING = Settings(select=("AL",), preview=True)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_is_reported_with_and_without_the_first_look(form: str, project: Path) -> None:
    source = snippet(*FORMS[form])
    code, last = CODES.get(form, "AL105"), source.count("\n")
    found = diagnostics(project, source, screening=False, settings=EVERYTHING)
    line = last - 1 if FORMS[form][0].startswith("for ") else last
    assert (code, line) in found, f"{form}: {found}\n{source}"
    assert diagnostics(project, source, screening=True, settings=EVERYTHING) == found


@pytest.mark.parametrize("form", sorted(CLEAN))
def test_lazy_and_awaited_forms_are_clean(form: str, project: Path) -> None:
    body, params = CLEAN[form]
    source = snippet(body, params, "")
    found = diagnostics(project, source, screening=False, settings=EVERYTHING)
    assert not [f for f in found if f[0] in ("AL105", "AL201", "AL202")], f"{form}: {found}\n{source}"


def test_a_related_manager_read_a_prefetch_may_answer_is_left_alone(project: Path) -> None:
    reads = snippet("author.books.count()\nfor b in author.books.all():\n    pass", "author: Author", "")
    assert len(diagnostics(project, reads, screening=False, settings=EVERYTHING)) == 2
    prefetching = reads.replace("async def", 'PREFETCHED = Author.objects.prefetch_related("books")\n\n\nasync def')
    assert diagnostics(project, prefetching, screening=False, settings=EVERYTHING) == []
    writes = snippet("author.books.create()", "author: Author", 'Author.objects.prefetch_related("books")')
    assert [code for code, _ in diagnostics(project, writes, screening=False, settings=EVERYTHING)] == ["AL105"]


def test_a_chain_of_sync_helpers_to_the_orm_is_reported_only_in_preview(project: Path) -> None:
    helper = "def first_author():\n    return Author.objects.first()\n\n\n"
    source = IMPORTS + "\n\n" + helper + "async def handle():\n    return first_author()\n"
    assert ("AL109", source.count("\n")) in diagnostics(project, source, screening=False, settings=EVERYTHING)
    guarded = source.replace("    return Author.objects.first()", "    if Author.cached is None:\n        return Author.objects.first()")
    assert "AL109" not in [code for code, _ in diagnostics(project, guarded, screening=False, settings=EVERYTHING)]
    stable = Settings(select=("AL",))
    assert diagnostics(project, source, screening=False, settings=stable) == []
    assert diagnostics(project, source, screening=True, settings=stable) == []


def test_a_sync_to_async_def_ends_no_chain_of_blocking_helpers(project: Path) -> None:
    """Its body runs in a worker thread: the call is a coroutine left unawaited, not a blocking one."""
    source = IMPORTS + "\n\nasync def handle():\n    return load_author(1)\n"
    found = diagnostics(project, source, screening=False, settings=EVERYTHING)
    assert found == [("AL201", source.count("\n"))]
    assert diagnostics(project, source, screening=True, settings=EVERYTHING) == found


def test_a_sync_to_async_method_or_nested_def_left_unawaited_is_reported(project: Path) -> None:
    source = IMPORTS + (
        "from asgiref.sync import sync_to_async\n\n\n"
        "class Consumer:\n"
        "    @sync_to_async\n"
        "    def load(self):\n"
        "        return Author.objects.first()\n\n"
        "    async def handle(self):\n"
        "        @sync_to_async\n"
        "        def count():\n"
        "            return Author.objects.count()\n\n"
        "        self.load()\n"
        "        count()\n"
        "        await self.load()\n"
        "        return await count()\n"
    )
    last = source.count("\n")
    found = diagnostics(project, source, screening=False, settings=EVERYTHING)
    assert found == [("AL201", last - 3), ("AL201", last - 2)]
    assert diagnostics(project, source, screening=True, settings=EVERYTHING) == found
