# askdesk in a minimal image: a static binary (modernc.org/sqlite is pure Go,
# so no cgo) on distroless/static, running as an unprivileged user.
#
#   docker build -t askdesk --build-arg VERSION=$(git describe --tags --always --dirty) .
#   docker run -d --name askdesk -p 3000:3000 \
#     -e SLACK_BOT_TOKEN -e SLACK_SIGNING_SECRET \
#     -v askdesk-data:/data -v $PWD/askdesk.toml:/etc/askdesk/askdesk.toml:ro askdesk
#
# The image's /etc/askdesk/askdesk.toml is the example company, which serve
# refuses: mount your own config over it. The build context has no .git, so
# the version comes from VERSION (askdesk version, the serving log line and
# /metrics' askdesk_build_info show it).FROM golang:1.26 AS build
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X github.com/askdesk/askdesk.version=${VERSION}" -o /out/askdesk ./cmd/askdesk \
 && mkdir /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/askdesk /usr/local/bin/askdesk
# The database lives on a volume owned by the image's nonroot user.
COPY --from=build --chown=nonroot:nonroot /out/data /data
COPY config.example.toml /etc/askdesk/askdesk.toml
WORKDIR /data
VOLUME /data
EXPOSE 3000
USER nonroot
# SIGTERM stops taking work, finishes what is in flight and flushes the
# outbox within 10 s (docker stop waits 10 s by default: give it --time 30).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/askdesk"]
CMD ["serve", "--config", "/etc/askdesk/askdesk.toml", "--db", "/data/askdesk.db"]
