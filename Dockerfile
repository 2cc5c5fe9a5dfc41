# The image compose.yaml builds: the service and its Python dependencies, nothing else.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir .
RUN useradd --system --home /var/lib/factcheck factcheck && mkdir -p /var/lib/factcheck \
    && chown factcheck /var/lib/factcheck
USER factcheck
EXPOSE 8000
CMD ["gunicorn", "factcheck.wsgi", "--config", "gunicorn.conf.py"]
