# askdesk in a minimal image: a static binary (modernc.org/sqlite is pure Go,
# so no cgo) on distroless/static, running as an unprivileged user.
#
#   docker build -t askdesk .
#   docker run -d --name askdesk -p 3000:3000 \
#     -e SLACK_BOT_TOKEN -e SLACK_SIGNING_SECRET \
#     -v askdesk-data:/data -v $PWD/askdesk.toml:/etc/askdesk/askdesk.toml:ro askdesk
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/askdesk ./cmd/askdesk \
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
