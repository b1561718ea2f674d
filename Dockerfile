# The production image for web (gunicorn), worker (celery) and beat (celery beat): one image, three commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=build_portal.settings.production

WORKDIR /app

# msgfmt (Debian's gettext) compiles the translation catalogs below; .mo files are not committed.
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*

# XStatic-Bootstrap ships only an sdist that needs pkg_resources (see requirements-static.txt).
COPY requirements.txt requirements-static.txt ./
RUN pip install "setuptools<81" wheel \
    && pip install --no-build-isolation -r requirements-static.txt \
    && pip install -r requirements.txt

COPY . .

# Static files are collected at build time and served by WhiteNoise. collectstatic needs settings to
# import but touches neither the database nor Redis; these throwaway values exist only in this RUN.
RUN DJANGO_SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    REDIS_URL=redis://127.0.0.1:6379/0 python manage.py collectstatic --noinput \
    && DJANGO_SECRET_KEY=compilemessages-only DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    REDIS_URL=redis://127.0.0.1:6379/0 python manage.py compilemessages --ignore=staticfiles --ignore=media \
    && useradd --system --uid 10001 --home-dir /app portal \
    && mkdir -p /app/media && chown portal /app/media

USER portal
EXPOSE 8000
CMD ["gunicorn", "build_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
